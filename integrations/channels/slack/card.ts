/**
 * The approval card in Block Kit. Pure: {@link ApprovalCard} in, blocks out. The card model is
 * already PII-redacted; this file only renders what it is given and escapes every value.
 */
import { STATUS_TITLE, type ApprovalCard } from '../../../core/index.js';
import { safe, slackDate, truncate } from './text.js';

/** action_id / callback_id values the inbound handlers listen for. */
export const SlackIds = {
  approve: 'countersign_approve',
  deny: 'countersign_deny',
  comment: 'countersign_comment',
  denyModal: 'countersign_deny_modal',
  reason: 'countersign_reason',
} as const;

/** What a button carries: the approval id and the hash of the request the approver saw. */
export interface ButtonValue {
  i: string;
  h: string;
}

export type Block = Record<string, unknown>;

const MAX_PARAMS = 8;
const MAX_VALUE = 200;

const text = (t: string): Block => ({ type: 'mrkdwn', text: t });
const field = (label: string, value: string): Block => text(`*${label}*\n${value}`);

/** The notification line (also what screen readers and old clients show). */
export function fallbackText(card: ApprovalCard): string {
  const r = card.request;
  return truncate(`${STATUS_TITLE[card.status]}: ${r.action} by ${r.agent}${r.tenant ? ` (${r.tenant})` : ''} — ${card.summary}`, 300);
}

function paramFields(card: ApprovalCard): Block[] {
  const entries = Object.entries({ ...(card.request.resource ? { resource: card.request.resource } : {}), ...(card.request.params ?? {}) });
  const shown = entries.slice(0, MAX_PARAMS).map(([k, v]) => field(safe(k, 60), safe(v, MAX_VALUE)));
  if (entries.length > MAX_PARAMS) shown.push(text(`_+${entries.length - MAX_PARAMS} more parameter(s) not shown_`));
  return shown;
}

function outcome(card: ApprovalCard): string {
  const at = card.decidedAt !== null ? ` ${slackDate(card.decidedAt)}` : '';
  switch (card.status) {
    case 'approved':
      return `*Approved* by ${safe(card.decidedBy ?? 'system', 200)}${at}${card.outcome ? `\n${safe(card.outcome, 500)}` : ''}`;
    case 'denied':
      return `*Denied* by ${safe(card.decidedBy ?? 'system', 200)}${at}: ${safe(card.outcome ?? 'no reason given', 500)}`;
    case 'expired':
      return `*Expired*${at}: ${safe(card.outcome ?? 'no decision in time', 500)}`;
    case 'blocked':
      return `*Blocked*${at}: ${safe(card.outcome ?? '', 500)}`;
    case 'withdrawn':
      return `*Withdrawn* by ${safe(card.decidedBy ?? 'the agent', 200)}${at}: ${safe(card.outcome ?? '', 500)}`;
    default:
      return '';
  }
}

/** The card's blocks; pending cards carry the comment box and the Approve / Deny buttons. */
export function renderBlocks(card: ApprovalCard): Block[] {
  const r = card.request;
  const value = JSON.stringify({ i: card.id, h: card.requestHash } satisfies ButtonValue);
  const approved = card.quorum.approvedBy.length;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${STATUS_TITLE[card.status]}: ${r.action}`, 150), emoji: true } },
    {
      type: 'section',
      fields: [
        field('Agent', safe(r.agent, 100)),
        field('Tenant', safe(r.tenant ?? 'default', 100)),
        field('Policy', `${safe(card.blueprint, 100)} · ${safe(card.rule.path, 100)} (line ${card.rule.line})`),
        field('Severity', safe(card.severity, 20)),
      ],
    },
    { type: 'section', text: text(`*Why a person must decide*\n${safe(card.reason, 600)}`) },
  ];
  const params = paramFields(card);
  if (params.length > 0) blocks.push({ type: 'section', fields: params });
  if (card.explanation.length > 0) {
    blocks.push({ type: 'context', elements: [text(card.explanation.slice(0, 6).map((l) => `• ${safe(l, 300)}`).join('\n'))] });
  }
  blocks.push({
    type: 'section',
    fields: [
      field('Deadline', card.deadline !== null ? slackDate(card.deadline) : 'none'),
      field('Quorum', `${approved} of ${card.quorum.required} approved${approved ? ` (${safe(card.quorum.approvedBy.join(', '), 200)})` : ''}`),
      field('Approvers', safe(card.approvers.join(', '), 200)),
    ],
  });
  if (card.status === 'pending') {
    blocks.push(
      {
        type: 'input',
        block_id: SlackIds.comment,
        optional: true,
        label: { type: 'plain_text', text: 'Comment (optional with Approve)' },
        element: { type: 'plain_text_input', action_id: SlackIds.comment, max_length: 2000 },
      },
      {
        type: 'actions',
        block_id: 'countersign_actions',
        elements: [
          { type: 'button', action_id: SlackIds.approve, style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value },
          { type: 'button', action_id: SlackIds.deny, style: 'danger', text: { type: 'plain_text', text: 'Deny…' }, value },
        ],
      },
    );
  } else {
    blocks.push({ type: 'section', text: text(outcome(card)) });
  }
  blocks.push({ type: 'context', elements: [text(`Request \`${safe(card.id, 120)}\` · hash \`${card.requestHash.slice(0, 12)}\``)] });
  return blocks;
}
