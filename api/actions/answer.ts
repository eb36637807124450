/** The submission answer (`POST /v1/actions`) read back from an approval's state. */
import { eligibleOf, type ApprovalState, type SubmitResponse } from '../../core/index.js';

/** The answer to a repeated submission, from the existing workflow's state. */
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
