/** Builds the channel-neutral {@link ApprovalCard} from what the workflow sends. */
import { cardState, type ApprovalCard } from '../core/index.js';
import { redact } from '../core/redact.js';
import type { CardContext } from './types.js';

/** The card for the approval's current state; the request with the policy's PII fields redacted. */
export function buildCard({ input, state }: CardContext): ApprovalCard {
  const d = input.decision;
  return {
    id: input.id,
    blueprint: input.blueprint,
    request: redact(input.request, input.piiFields),
    requestHash: input.requestHash,
    rule: d.rule,
    reason: d.reason,
    explanation: d.explanation,
    approvers: d.approvers,
    severity: d.severity,
    ...cardState(state, input.eligible),
  };
}
