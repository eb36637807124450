/** How the API reports an approval's state: terminal or not, who may decide, the submission answer. */
import type { Decision } from '../triggers/index.js';
import { TERMINAL_STATUSES, type ApprovalState, type Status } from '../workflows/contract.js';

/** The submission answer (`POST /v1/actions`). */
export interface SubmitResponse {
  id: string;
  status: Status;
  verdict: Decision['verdict'];
  reason: string;
  retryAfter?: number;
  /** Approver groups asked (from the policy). */
  approvers?: readonly string[];
  /** Approver ids who may decide. */
  eligible?: readonly string[];
  /** Epoch ms after which the approval expires. */
  deadline?: number;
}

export const isTerminal = (status: Status): boolean => TERMINAL_STATUSES.includes(status);

/** Approver ids allowed to decide, as the state reports them (eligible plus escalation once escalated). */
export function eligibleOf(state: ApprovalState): readonly string[] {
  return (state as ApprovalState & { eligible?: readonly string[] }).eligible ?? [];
}

export function toSubmitResponse(state: ApprovalState): SubmitResponse {
  const out: SubmitResponse = { id: state.id, status: state.status, verdict: state.verdict, reason: state.reason };
  if (state.retryAfter !== undefined) out.retryAfter = state.retryAfter;
  if (state.verdict === 'require_approval') {
    out.approvers = state.approvers;
    out.eligible = eligibleOf(state);
    if (state.deadline !== null) out.deadline = state.deadline;
  }
  return out;
}
