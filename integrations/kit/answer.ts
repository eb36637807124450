/**
 * Decide, then report back: every channel's inbound handler, once it has verified the request and
 * mapped the person, hands the answer to {@link answer}. It sends the workflow's `decide` update
 * bound to the request hash the person saw, and says what happened in one outcome (for logs and
 * webhook answers) and one sentence for the person (ephemeral message, refreshed card, note).
 */
import {
  decidedBy,
  eligibleOf,
  type ApprovalState,
  type ChannelName,
  type Decider,
  type DecisionResult,
  type DecisionValue,
} from '../../core/index.js';

/** The sentences a person may read back in their channel. */
export const Feedback = {
  notAnApprover: 'You are not an approver for this request. Your attempt was recorded; nothing was counted.',
  gone: 'This approval request no longer exists.',
  counted: (state: ApprovalState) => `Your approval counted (${state.approvedBy.length} of ${state.quorum}); waiting for more approvers.`,
  notCounted: (decision: DecisionValue, message: string) => `Your ${decision} did not count: ${message}.`,
  alreadyDecided: (message: string) => `Already decided: ${message}.`,
  closed: (state: ApprovalState) => {
    const by = decidedBy(state);
    return `Already decided: this request was already ${state.status}${by && by !== 'system' ? ` by ${by}` : `: ${state.reason}`}.`;
  },
  unrecorded: (why: string) => `Your answer could not be recorded (${why}); please try again.`,
  unchecked: 'Countersign could not check this request just now, so nothing was decided. Please try again in a moment.',
} as const;

/** One person's answer in a channel, mapped to an approver id (or to the channel's unmapped label). */
export interface ChannelAnswer {
  /** The approval id. */
  id: string;
  approverId: string;
  decision: DecisionValue;
  via: ChannelName;
  /** The request hash the person saw (on the card); the workflow refuses another. */
  requestHash?: string | undefined;
  reason?: string | undefined;
}

/**
 * - `counted`: the answer counted;
 * - `not-counted`: a repeat, or the approval was already decided;
 * - `refused`: the person may not decide this request (the workflow recorded the attempt);
 * - `gone`: there is no such approval;
 * - `unrecorded`: the workflow could not be reached; a vendor that redelivers should be asked to.
 */
export type AnswerOutcome = 'counted' | 'not-counted' | 'refused' | 'gone' | 'unrecorded';

export interface AnswerReport {
  outcome: AnswerOutcome;
  /** What to tell the person; null when the updated card says it all. */
  feedback: string | null;
  /** The approval's state after the answer, when known. */
  state: ApprovalState | null;
  /** Why it is `unrecorded`. */
  error?: unknown;
}

/** Sends the answer; never throws. */
export async function answer(decider: Decider, a: ChannelAnswer): Promise<AnswerReport> {
  const reason = a.reason?.trim();
  let result: DecisionResult;
  try {
    result = await decider.decide(a.id, {
      approverId: a.approverId,
      decision: a.decision,
      via: a.via,
      ...(a.requestHash ? { requestHash: a.requestHash } : {}),
      ...(reason ? { reason } : {}),
    });
  } catch (error) {
    // The workflow may have finished (decided and delivered), or never existed: read it instead.
    const state = await decider.state(a.id).catch(() => null);
    if (state === null) return { outcome: 'gone', feedback: Feedback.gone, state: null };
    if (state.status !== 'pending') return { outcome: 'not-counted', feedback: Feedback.closed(state), state };
    return { outcome: 'unrecorded', feedback: Feedback.unrecorded((error as Error).message), state, error };
  }
  return { ...report(result, a), state: result.state };
}

function report(res: DecisionResult, a: ChannelAnswer): Omit<AnswerReport, 'state'> {
  const s = res.state;
  if (res.counted) return { outcome: 'counted', feedback: s.status === 'pending' ? Feedback.counted(s) : null };
  if (s.status === 'pending' && !eligibleOf(s).includes(a.approverId)) return { outcome: 'refused', feedback: Feedback.notAnApprover };
  if (s.status !== 'pending') return { outcome: 'not-counted', feedback: Feedback.alreadyDecided(res.message) };
  return { outcome: 'not-counted', feedback: Feedback.notCounted(a.decision, res.message) };
}
