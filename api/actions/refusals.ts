/**
 * Recording what the API refuses: a submission to a blueprint the agent is not bound to, a read
 * or a decision of a request the caller may not see. Each is a structured log line and an entry
 * on the tenant's audit trail (the audit-trail workflow appends it; the API keeps no audit log of
 * its own). A refusal is answered whether or not it could be recorded: a failure to record is
 * logged, never shown to the caller, and never changes the answer.
 */
import type { Client } from '@temporalio/client';
import {
  ANY,
  AUDIT_TRAIL_WORKFLOW,
  auditTrailWorkflowId,
  recordSignal,
  type AuditEntryInput,
  type AuditTrailInput,
} from '../../core/index.js';
import type { Logger } from '../../infra/logger.js';

export interface Refusals {
  /**
   * Logs the refusal and appends it to `tenant`'s audit trail; a tenant the config does not know
   * (a made-up action id) goes to the `*` trail, so callers cannot start a trail per name they
   * invent. Never throws.
   */
  record(tenant: string, entry: AuditEntryInput): Promise<void>;
}

/** The trail of refusals that name no configured tenant. */
export const UNKNOWN_TENANT_TRAIL = ANY;

export function createRefusals(deps: { client: Client; taskQueue: string; logger: Logger; tenants: ReadonlySet<string> }): Refusals {
  return {
    async record(tenant, entry) {
      deps.logger.warn({ refusal: entry.data?.refusal, who: entry.who, target: entry.id, tenant }, `${entry.event === 'refused' ? 'refused' : entry.event}: ${entry.why ?? entry.event}`);
      const trail = deps.tenants.has(tenant) ? tenant : UNKNOWN_TENANT_TRAIL;
      const recorded: AuditEntryInput = { ...entry, data: { ...entry.data, tenant } };
      try {
        await deps.client.workflow.signalWithStart<(input: AuditTrailInput) => Promise<void>, [AuditEntryInput]>(AUDIT_TRAIL_WORKFLOW, {
          workflowId: auditTrailWorkflowId(deps.taskQueue, trail),
          taskQueue: deps.taskQueue,
          args: [{ tenant: trail }],
          signal: recordSignal,
          signalArgs: [recorded],
        });
      } catch (error) {
        deps.logger.error({ err: error, tenant, target: entry.id }, 'could not record a refusal on the audit trail');
      }
    },
  };
}
