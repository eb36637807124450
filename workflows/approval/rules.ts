/**
 * Pure decision-counting rules of one approval. No Temporal imports: the workflow calls
 * {@link evaluateDecision} inside its update/signal handler, and unit tests call it directly.
 */
import { isTerminal, type DecisionInput, type Status } from '../../core/index.js';

/** Everything the rules need to know about the approval at the moment a decision arrives. */
export interface TallyView {
  status: Status;
  /** The requesting agent; it can never approve its own request. */
  agent: string;
  /** Approver ids whose decision counts now (eligible, plus escalation once escalated). */
  eligible: readonly string[];
  requestHash: string;
  quorum: number;
  approvedBy: readonly string[];
  deniedBy: string | null;
  /** For terminal states: who decided (`alice`, `alice, bob`, `system`) and why. */
  decidedBy: string | null;
}

/** Why an attempt did not count; stable strings for logs and tests. */
export type RefusalCode =
  | 'request-hash-mismatch'
  | 'self-approval'
  | 'already-decided'
  | 'not-eligible'
  | 'malformed';

export type Outcome =
  /** Counted; `status` is the approval's status afterwards. */
  | { kind: 'counted'; status: Status; message: string }
  /** The same person's same answer again: not counted, not a refusal. */
  | { kind: 'duplicate'; message: string }
  | { kind: 'refused'; code: RefusalCode; message: string };

const MAX_ID = 200;
const MAX_REASON = 2000;

/**
 * Shape check of a decision; returns a problem or null. The update validator throws on a problem
 * (the attempt never enters history); the signal handler records it as refused.
 */
export function decisionInputProblem(input: unknown): string | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'a decision must be an object';
  const d = input as Record<string, unknown>;
  if (typeof d.approverId !== 'string' || d.approverId.trim() === '') return 'approverId must be a non-empty string';
  if (d.approverId.length > MAX_ID) return `approverId is longer than ${MAX_ID} characters`;
  if (d.decision !== 'approve' && d.decision !== 'deny') return 'decision must be "approve" or "deny"';
  if (d.reason !== undefined && d.reason !== null && typeof d.reason !== 'string') return 'reason must be a string';
  if (typeof d.reason === 'string' && d.reason.length > MAX_REASON) return `reason is longer than ${MAX_REASON} characters`;
  if (typeof d.via !== 'string' || d.via === '' || d.via.length > 64) return 'via must name the channel the answer came from';
  if (d.requestHash !== undefined && d.requestHash !== null && typeof d.requestHash !== 'string') return 'requestHash must be a string';
  return null;
}

/**
 * Applies the counting rules to one decision. Order, first hit wins:
 * 1. requestHash given and different → refused (the approver saw another request);
 * 2. the requesting agent approves → refused;
 * 3. the approval is already terminal → not counted, says by whom (a repeat of the decider's own
 *    answer is a duplicate, not a refusal);
 * 4. not an eligible approver → refused;
 * 5. deny → denied (one deny denies);
 * 6. approve already counted for this person → duplicate;
 * 7. approve → counted; `quorum` distinct approvals approve.
 */
export function evaluateDecision(view: TallyView, d: DecisionInput): Outcome {
  if (d.requestHash && d.requestHash !== view.requestHash) {
    return { kind: 'refused', code: 'request-hash-mismatch', message: 'this approval was for a different request' };
  }
  if (d.approverId === view.agent && d.decision === 'approve') {
    return { kind: 'refused', code: 'self-approval', message: `${d.approverId} requested this action and cannot approve it` };
  }
  if (isTerminal(view.status)) {
    const by = view.decidedBy ?? 'system';
    const already =
      by === 'system'
        ? view.status === 'expired'
          ? 'this request already expired: nobody decided within the SLA'
          : `this request was already ${view.status} by the policy`
        : `this request was already ${view.status} by ${by}`;
    const own =
      (d.decision === 'approve' && view.status === 'approved' && view.approvedBy.includes(d.approverId)) ||
      (d.decision === 'deny' && view.status === 'denied' && view.deniedBy === d.approverId);
    if (own) {
      return { kind: 'duplicate', message: `${already}; your ${d.decision} counted once` };
    }
    return { kind: 'refused', code: 'already-decided', message: already };
  }
  if (!view.eligible.includes(d.approverId)) {
    return { kind: 'refused', code: 'not-eligible', message: `${d.approverId} is not an approver for this request` };
  }
  if (d.decision === 'deny') {
    return { kind: 'counted', status: 'denied', message: `denied by ${d.approverId}` };
  }
  if (view.approvedBy.includes(d.approverId)) {
    return {
      kind: 'duplicate',
      message: `${d.approverId} already approved; the same person counts once (${view.approvedBy.length} of ${view.quorum})`,
    };
  }
  const count = view.approvedBy.length + 1;
  if (count >= view.quorum) {
    return { kind: 'counted', status: 'approved', message: `approved (${count} of ${view.quorum})` };
  }
  return { kind: 'counted', status: 'pending', message: `approval counted (${count} of ${view.quorum}); waiting for more approvers` };
}
