/**
 * Zendesk ticket bodies built from an {@link ApprovalCard}: the new ticket (subject, private
 * description with the PII-redacted request and the explanation, tags, `external_id` = approval id)
 * and the private notes Countersign adds later.
 */
import { requestPageUrl, type ApprovalCard } from '../../../core/index.js';

/** Tags Countersign sets; the triggers made by `countersign setup zendesk` look for these. */
export const ZendeskTag = {
  Marker: 'countersign',
  Pending: 'countersign_pending',
  Approve: 'countersign_approve',
  Deny: 'countersign_deny',
  Escalated: 'countersign_escalated',
} as const;

/** Shown in the ticket so agents know how to answer. */
export const ZENDESK_DECIDE_HELP =
  'To decide, apply the macro "Approve (Countersign)" or "Deny (Countersign)" here in Zendesk (they add the tag ' +
  `"${ZendeskTag.Approve}" or "${ZendeskTag.Deny}" and an internal note); write the reason in that note, in the same update. ` +
  'Only a change made in Zendesk itself counts, not one made through the API.';

const PRIORITY = { critical: 'urgent', error: 'high', warning: 'normal', info: 'low' } as const;

const link = (publicUrl: string, card: ApprovalCard): string => requestPageUrl(publicUrl, card.id, { requestHash: card.requestHash, expiresAt: card.deadline });

/** Body of `POST /api/v2/tickets.json`. */
export function newTicket(card: ApprovalCard, publicUrl: string, groupId: number | null): { ticket: Record<string, unknown> } {
  const what = card.request.resource ? `${card.request.action} on ${card.request.resource}` : card.request.action;
  const body = [
    `Countersign approval request ${card.id} (${card.blueprint})`,
    `Why a person must decide: ${card.reason}`,
    ...card.explanation.map((line) => `- ${line}`),
    `Policy rule: ${card.rule.path}:${card.rule.line}`,
    `Request hash: ${card.requestHash}`,
    `Approvers: ${card.approvers.join(', ')} (${card.quorum.required} needed)`,
    card.deadline === null ? '' : `Decide before: ${new Date(card.deadline).toISOString()}`,
    'Request (PII redacted):',
    JSON.stringify(card.request, null, 2),
    `Details, and to decide in Countersign's console after signing in: ${link(publicUrl, card)}`,
    '',
    ZENDESK_DECIDE_HELP,
  ].filter((l, i, all) => l !== '' || i === all.length - 2);
  return {
    ticket: {
      subject: `Approval needed: ${what} (${card.blueprint})`.slice(0, 250),
      comment: { body: body.join('\n'), public: false },
      tags: [ZendeskTag.Marker, ZendeskTag.Pending, `countersign_${card.blueprint.replace(/[^A-Za-z0-9_-]/g, '_')}`],
      external_id: card.id,
      priority: PRIORITY[card.severity],
      type: 'task',
      ...(groupId !== null ? { group_id: groupId } : {}),
    },
  };
}

/** The private outcome note of a terminal card. */
export function outcomeNote(card: ApprovalCard, publicUrl: string): string {
  return `Countersign: ${card.summary}\nOutcome: ${card.status}${card.outcome ? ` — ${card.outcome}` : ''}\n${link(publicUrl, card)}`;
}
