/**
 * What gets appended to the audit log, and the audit-trail workflow that records what the API
 * refuses (a submission to a blueprint the agent is not bound to, a read or decision of a request
 * the caller may not see): the API has no audit log of its own, so it signals the tenant's trail
 * and a worker appends. Names are on the wire: never rename one.
 */
import { defineSignal } from '@temporalio/workflow';

/** One audit event; the log adds seq, time, prev and hash. */
export interface AuditEntryInput {
  /** `submitted`, `approved`, `refused`, `delivered`, … */
  event: string;
  /** The approval (workflow) id, or what was refused when there is none (`submission`). */
  id: string;
  /** Approver id, agent id or `system`. */
  who: string;
  why?: string | null;
  data?: Record<string, unknown>;
  /** Keys whose values are replaced by `[redacted]` at any depth of `data`. */
  piiFields?: readonly string[];
  /** The blueprint asks for signed entries (`auditLog.signedEntries: true`): the log signs it or refuses it. */
  sign?: boolean;
}

export const AUDIT_TRAIL_WORKFLOW = 'auditTrailWorkflow';

/**
 * One trail per tenant and task queue, `audit-trail/<task queue>/<tenant>` (URI-encoded): the
 * workers of a task queue write its audit log, so two deployments sharing a namespace never
 * append to each other's.
 */
export function auditTrailWorkflowId(taskQueue: string, tenant: string): string {
  return `audit-trail/${encodeURIComponent(taskQueue)}/${encodeURIComponent(tenant)}`;
}

export interface AuditTrailInput {
  tenant: string;
  /** Entries received but not yet appended when the previous run continued as new. */
  pending?: AuditEntryInput[];
}

export const recordSignal = defineSignal<[AuditEntryInput]>('record');
