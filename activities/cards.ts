/** Builds the channel-neutral {@link ApprovalCard} from what the workflow sends. */
import type { ApprovalCard } from '../integrations/channel.js';
import { redact } from './redact.js';
import type { CardContext } from './types.js';

function iso(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

export function buildCard({ input, state }: CardContext): ApprovalCard {
  const d = input.decision;
  const decidedBy =
    state.status === 'approved'
      ? state.approvedBy.length > 0
        ? state.approvedBy.join(', ')
        : 'system'
      : state.status === 'denied'
        ? (state.deniedBy ?? 'system')
        : state.status === 'pending'
          ? null
          : 'system';
  let summary: string;
  switch (state.status) {
    case 'approved':
      summary = `approved by ${decidedBy} at ${iso(state.decidedAt)}`;
      break;
    case 'denied':
      summary = `denied by ${decidedBy}: ${state.reason}`;
      break;
    case 'expired':
      summary = `expired: ${state.reason}`;
      break;
    case 'blocked':
      summary = `blocked: ${state.reason}`;
      break;
    default:
      summary =
        `waiting for ${state.quorum - state.approvedBy.length} more approval(s)` +
        (state.deadline !== null ? ` until ${iso(state.deadline)}` : '');
  }
  return {
    id: input.id,
    blueprint: input.blueprint,
    request: redact(input.request, input.piiFields),
    requestHash: input.requestHash,
    rule: d.rule,
    reason: d.reason,
    explanation: d.explanation,
    approvers: d.approvers,
    eligible: state.eligible ?? input.eligible,
    quorum: { required: state.quorum, approvedBy: state.approvedBy },
    deadline: state.deadline,
    severity: d.severity,
    status: state.status,
    decidedBy,
    decidedAt: state.decidedAt,
    outcome: state.status === 'pending' ? null : state.reason,
    summary,
  };
}
