/**
 * Who may see and decide an action. An agent reads its own actions (a `tenant-reader` every one of
 * its tenant); an approver reads what they may decide right now and, read-only, the actions of the
 * tenants they audit. Everyone else is answered exactly as for an id that does not exist.
 */
import { AgentRole, covers, eligibleOf, type ApprovalState } from '../../core/index.js';
import type { Principal } from '../auth.js';
import { notFound, type ApiError } from '../errors.js';

export const Access = {
  /** Neither reads nor decides: answered 404. */
  None: 'none',
  /** Reads, never decides (the submitting agent, a tenant reader, an auditor). */
  Read: 'read',
  /** Reads and may decide. */
  Decide: 'decide',
} as const;
export type Access = (typeof Access)[keyof typeof Access];

/** What `principal` may do with the action `state` of `tenant` (the tenant in the action id). */
export function accessTo(principal: Principal, tenant: string, state: ApprovalState): Access {
  if (principal.kind === 'agent') {
    if (principal.tenant !== tenant) return Access.None;
    if (principal.agent.role === AgentRole.TenantReader) return Access.Read;
    return state.request?.agent === principal.id ? Access.Read : Access.None;
  }
  if (principal.kind === 'admin') return Access.None; // the kill switch reads no request
  const { approver } = principal;
  if (covers(approver.tenants, tenant) && eligibleOf(state).includes(approver.id)) return Access.Decide;
  return covers(approver.auditorOf, tenant) ? Access.Read : Access.None;
}

/** The one answer for an action the caller may not see and for one that does not exist. */
export const noSuchAction = (id: string): ApiError => notFound(`no action with id ${id}`);
