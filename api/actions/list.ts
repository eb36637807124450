/**
 * Listing and counting approvals through Temporal visibility (search attributes and memo,
 * eventually consistent). Each caller's query is narrowed to what they may see, the same rule as
 * `accessTo` applies to a single action: an agent its own (a tenant reader its tenant's), an
 * approver what they may decide now plus the tenants they audit.
 */
import type { Client } from '@temporalio/client';
import {
  AgentRole,
  ANY,
  APPROVAL_WORKFLOW,
  quote,
  SearchAttribute,
  SearchAttributeKey as SA,
  type ApprovalMemo,
  type Status,
} from '../../core/index.js';
import type { Principal } from '../auth.js';

/** One line of an approver's inbox: enough to show and sort it without reading the action. */
export interface ApprovalSummary {
  id: string;
  status: Status;
  blueprint: string | null;
  tenant: string | null;
  /** The action's name and the agent that asked (null for approvals started before they were kept). */
  action: string | null;
  agent: string | null;
  /** `refund amount=75`: the action and its first params, PII redacted. */
  summary: string | null;
  /** Approvals counted so far of those required (`required` 0: nobody decides). */
  quorum: { required: number; approved: number } | null;
  groups: string[];
  deadline: number | null;
  submittedAt: number;
  /** Once terminal: who decided (`system` for an SLA expiry or a block), why, and when it closed. */
  decidedBy: string | null;
  reason: string | null;
  closedAt: number | null;
}

export interface ApprovalListQuery {
  /** One status, or any of several (the console's history: every terminal one). */
  status: Status | readonly Status[];
  group?: string | undefined;
  blueprint?: string | undefined;
  agent?: string | undefined;
  /** Submitted at or after / before (epoch ms). */
  since?: number | undefined;
  until?: number | undefined;
  limit?: number | undefined;
}

/** The visibility clause that keeps `principal` to what they may see; null when it is everything. */
export function visibleTo(principal: Principal): string | null {
  if (principal.kind === 'agent') {
    const tenant = `${SearchAttribute.Tenant} = ${quote(principal.tenant)}`;
    return principal.agent.role === AgentRole.TenantReader ? tenant : `${tenant} AND ${SearchAttribute.Agent} = ${quote(principal.id)}`;
  }
  if (principal.kind === 'admin') throw new Error('an admin lists no approvals: listApprovals answers it before asking visibility');
  const { auditorOf, id } = principal.approver;
  if (auditorOf.includes(ANY)) return null;
  const eligible = `${SearchAttribute.Eligible} = ${quote(id)}`;
  if (auditorOf.length === 0) return eligible;
  return `(${eligible} OR ${SearchAttribute.Tenant} IN (${auditorOf.map(quote).join(', ')}))`;
}

/** Approvals from Temporal visibility (a new one appears within about a second), narrowed by {@link visibleTo}. */
export async function listApprovals(client: Client, principal: Principal, query: ApprovalListQuery): Promise<{ approvals: ApprovalSummary[] }> {
  // The kill switch's operator reads no request, so there is nothing to ask visibility for.
  if (principal.kind === 'admin') return { approvals: [] };
  const statuses: readonly Status[] = typeof query.status === 'string' ? [query.status] : query.status;
  const clauses = [
    `WorkflowType = ${quote(APPROVAL_WORKFLOW)}`,
    statuses.length === 1 ? `${SearchAttribute.Status} = ${quote(statuses[0]!)}` : `${SearchAttribute.Status} IN (${statuses.map(quote).join(', ')})`,
  ];
  if (query.group) clauses.push(`${SearchAttribute.Groups} = ${quote(query.group)}`);
  if (query.blueprint) clauses.push(`${SearchAttribute.Blueprint} = ${quote(query.blueprint)}`);
  if (query.agent) clauses.push(`${SearchAttribute.Agent} = ${quote(query.agent)}`);
  if (query.since !== undefined) clauses.push(`StartTime >= ${quote(new Date(query.since).toISOString())}`);
  if (query.until !== undefined) clauses.push(`StartTime <= ${quote(new Date(query.until).toISOString())}`);
  const visible = visibleTo(principal);
  if (visible !== null) clauses.push(visible);
  const limit = query.limit ?? 100;
  const approvals: ApprovalSummary[] = [];
  for await (const info of client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(limit, 100) })) {
    const deadline = info.typedSearchAttributes.get(SA.Deadline);
    const memo = (info.memo ?? {}) as Partial<ApprovalMemo>;
    approvals.push({
      id: info.workflowId,
      status: (info.typedSearchAttributes.get(SA.Status) ?? statuses[0]) as Status,
      blueprint: info.typedSearchAttributes.get(SA.Blueprint) ?? null,
      tenant: info.typedSearchAttributes.get(SA.Tenant) ?? null,
      action: typeof memo.action === 'string' ? memo.action : null,
      agent: info.typedSearchAttributes.get(SA.Agent) ?? null,
      summary: typeof memo.summary === 'string' ? memo.summary : null,
      quorum: typeof memo.quorum === 'number' ? { required: memo.quorum, approved: typeof memo.approved === 'number' ? memo.approved : 0 } : null,
      groups: info.typedSearchAttributes.get(SA.Groups) ?? [],
      deadline: deadline ? deadline.getTime() : null,
      submittedAt: info.startTime.getTime(),
      decidedBy: typeof memo.decidedBy === 'string' ? memo.decidedBy : null,
      reason: typeof memo.reason === 'string' ? memo.reason : null,
      closedAt: info.closeTime ? info.closeTime.getTime() : null,
    });
    if (approvals.length >= limit) break;
  }
  return { approvals };
}

/** Number of pending approvals (for the `countersign_pending` gauge). */
export async function countPending(client: Client): Promise<number> {
  const res = await client.workflow.count(`WorkflowType = ${quote(APPROVAL_WORKFLOW)} AND ${SearchAttribute.Status} = ${quote('pending')}`);
  return res.count;
}

/** One pending approval as the console's change feed compares it between polls. */
export interface PendingMark {
  id: string;
  tenant: string | null;
  /** Who may decide it now (grows on escalation). */
  eligible: string[];
  /** Changes when its eligible set, quorum progress or deadline changes. */
  mark: string;
}

/** Every pending approval (up to `limit`), as marks to diff; one visibility list call per page. */
export async function pendingMarks(client: Client, limit: number): Promise<PendingMark[]> {
  const query = `WorkflowType = ${quote(APPROVAL_WORKFLOW)} AND ${SearchAttribute.Status} = ${quote('pending')}`;
  const marks: PendingMark[] = [];
  for await (const info of client.workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
    const eligible = info.typedSearchAttributes.get(SA.Eligible) ?? [];
    const memo = (info.memo ?? {}) as Partial<ApprovalMemo>;
    const deadline = info.typedSearchAttributes.get(SA.Deadline)?.getTime() ?? '';
    marks.push({
      id: info.workflowId,
      tenant: info.typedSearchAttributes.get(SA.Tenant) ?? null,
      eligible,
      mark: `${eligible.join(',')}|${memo.approved ?? 0}|${deadline}`,
    });
    if (marks.length >= limit) break;
  }
  return marks;
}
