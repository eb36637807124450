/** Listing and counting approvals through Temporal visibility (search attributes, eventually consistent). */
import type { Client } from '@temporalio/client';
import { APPROVAL_WORKFLOW, quote, SearchAttribute, SearchAttributeKey as SA, type Status } from '../../core/index.js';
import type { Principal } from '../auth.js';

export interface ApprovalSummary {
  id: string;
  status: Status;
  blueprint: string | null;
  tenant: string | null;
  groups: string[];
  deadline: number | null;
  submittedAt: number;
}

export interface ApprovalListQuery {
  status: Status;
  group?: string | undefined;
  blueprint?: string | undefined;
  limit?: number | undefined;
}

/** Approvals from Temporal visibility (a new one appears within about a second); agents see their tenant's only. */
export async function listApprovals(client: Client, principal: Principal, query: ApprovalListQuery): Promise<{ approvals: ApprovalSummary[] }> {
  const clauses = [`WorkflowType = ${quote(APPROVAL_WORKFLOW)}`, `${SearchAttribute.Status} = ${quote(query.status)}`];
  if (query.group) clauses.push(`${SearchAttribute.Groups} = ${quote(query.group)}`);
  if (query.blueprint) clauses.push(`${SearchAttribute.Blueprint} = ${quote(query.blueprint)}`);
  if (principal.kind === 'agent') clauses.push(`${SearchAttribute.Tenant} = ${quote(principal.tenant)}`);
  const limit = query.limit ?? 100;
  const approvals: ApprovalSummary[] = [];
  for await (const info of client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(limit, 100) })) {
    const deadline = info.typedSearchAttributes.get(SA.Deadline);
    approvals.push({
      id: info.workflowId,
      status: (info.typedSearchAttributes.get(SA.Status) ?? query.status) as Status,
      blueprint: info.typedSearchAttributes.get(SA.Blueprint) ?? null,
      tenant: info.typedSearchAttributes.get(SA.Tenant) ?? null,
      groups: info.typedSearchAttributes.get(SA.Groups) ?? [],
      deadline: deadline ? deadline.getTime() : null,
      submittedAt: info.startTime.getTime(),
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
