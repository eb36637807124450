/**
 * The card as the clicker should see it right after their answer: the snapshot carried in the
 * action data, with the workflow's returned state applied (status, who, when, quorum). Pure; the
 * same wording as activities/cards.ts.
 */
import type { ApprovalCard } from '../channel.js';
import type { ApprovalState } from '../../workflows/contract.js';

export function applyState(card: ApprovalCard, s: ApprovalState): ApprovalCard {
  const decidedBy =
    s.status === 'approved' ? s.approvedBy.join(', ') || 'system' : s.status === 'denied' ? (s.deniedBy ?? 'system') : s.status === 'pending' ? null : 'system';
  const at = s.decidedAt !== null ? new Date(s.decidedAt).toISOString() : '';
  const summary =
    s.status === 'approved'
      ? `approved by ${decidedBy} at ${at}`
      : s.status === 'denied'
        ? `denied by ${decidedBy}: ${s.reason}`
        : s.status === 'pending'
          ? `waiting for ${s.quorum - s.approvedBy.length} more approval(s)`
          : `${s.status}: ${s.reason}`;
  return {
    ...card,
    status: s.status,
    eligible: s.eligible ?? card.eligible,
    quorum: { required: s.quorum, approvedBy: s.approvedBy },
    deadline: s.deadline,
    decidedBy,
    decidedAt: s.decidedAt,
    outcome: s.status === 'pending' ? null : s.reason,
    summary,
  };
}
