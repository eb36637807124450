/**
 * The card as the clicker should see it right after their answer: the snapshot carried in the
 * action data, with the workflow's returned state applied (status, who, when, quorum). Pure; the
 * same wording as the card the worker posts (`cardState` in core).
 */
import { cardState, type ApprovalCard, type ApprovalState } from '../../../core/index.js';

export function applyState(card: ApprovalCard, s: ApprovalState): ApprovalCard {
  return { ...card, ...cardState(s, card.eligible) };
}
