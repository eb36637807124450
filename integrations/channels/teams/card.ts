/**
 * The approval card as an Adaptive Card 1.5. Pure: {@link ApprovalCard} in, card JSON out.
 * Approve is an `Action.Execute` (verb `approve`) with the optional comment; Deny is a ShowCard
 * holding a required reason and an `Action.Execute` (verb `deny`). Each action carries only the
 * approval id and the request hash shown (a bot message is at most 40 KB, and the card is rebuilt
 * from the approval's state for the answer). Values are truncated and markdown-escaped.
 */
import { STATUS_TITLE, type ApprovalCard } from '../../../core/index.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const TeamsVerbs = { approve: 'approve', deny: 'deny' } as const;

export type Json = Record<string, unknown>;

/** What an Action.Execute sends back in `data` (plus the inputs `comment` / `reason`). */
export interface ActionData {
  i: string;
  h: string;
}

const TITLE = STATUS_TITLE;
const MAX_VALUE = 200;
const MAX_PARAMS = 8;

/** Truncates by code points, then escapes Teams markdown so a value cannot become a link or emphasis. */
export function md(value: unknown, max = MAX_VALUE): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const points = Array.from(s.replace(/\s*\n\s*/g, ' '));
  const cut = points.length > max ? `${points.slice(0, max - 1).join('')}…` : s.replace(/\s*\n\s*/g, ' ');
  return cut.replace(/[\\`*_[\]<>~#]/g, (c) => `\\${c}`);
}

/** Adaptive Card date/time functions; each client renders them in the reader's time zone. */
const when = (ms: number): string => {
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
};

/** The card with its values truncated, small enough to ride along in every action's data. */
export function compact(card: ApprovalCard): ApprovalCard {
  const params = Object.fromEntries(Object.entries(card.request.params ?? {}).slice(0, MAX_PARAMS).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, MAX_VALUE) : JSON.stringify(v)?.slice(0, MAX_VALUE)]));
  return { ...card, request: { ...card.request, params, context: {} }, explanation: card.explanation.slice(0, 6).map((l) => l.slice(0, 300)) };
}

function outcome(card: ApprovalCard): string {
  const by = md(card.decidedBy ?? 'system');
  const at = card.decidedAt !== null ? ` at ${when(card.decidedAt)}` : '';
  if (card.status === 'approved') return `**Approved** by ${by}${at}`;
  if (card.status === 'denied') return `**Denied** by ${by}${at}: ${md(card.outcome ?? 'no reason given', 500)}`;
  if (card.status === 'withdrawn') return `**Withdrawn** by ${by}${at}: ${md(card.outcome ?? '', 500)}`;
  return `**${card.status === 'expired' ? 'Expired' : 'Blocked'}**${at}: ${md(card.outcome ?? '', 500)}`;
}

/** The Adaptive Card; `notice` adds a line only the clicker sees (invoke responses). */
export function renderAdaptiveCard(card: ApprovalCard, notice?: string): Json {
  const r = card.request;
  const data = { i: card.id, h: card.requestHash } satisfies ActionData;
  const params = Object.entries({ ...(r.resource ? { resource: r.resource } : {}), ...(r.params ?? {}) }).slice(0, MAX_PARAMS);
  const body: Json[] = [
    { type: 'TextBlock', text: md(`${TITLE[card.status]}: ${r.action}`, 150), weight: 'Bolder', size: 'Medium', wrap: true },
    ...(notice ? [{ type: 'TextBlock', text: md(notice, 500), color: 'Attention', wrap: true }] : []),
    {
      type: 'FactSet',
      facts: [
        { title: 'Agent', value: md(r.agent) },
        { title: 'Tenant', value: md(r.tenant ?? 'default') },
        { title: 'Policy', value: `${md(card.blueprint)} · ${md(card.rule.path)} (line ${card.rule.line})` },
        ...params.map(([k, v]) => ({ title: md(k, 60), value: md(v) })),
      ],
    },
    { type: 'TextBlock', text: `**Why:** ${md(card.reason, 600)}`, wrap: true },
    ...card.explanation.slice(0, 6).map((l) => ({ type: 'TextBlock', text: `• ${md(l, 300)}`, wrap: true, isSubtle: true, spacing: 'None' })),
    { type: 'TextBlock', text: `**Deadline:** ${card.deadline !== null ? when(card.deadline) : 'none'} · **Quorum:** ${card.quorum.approvedBy.length} of ${card.quorum.required}`, wrap: true },
    ...(card.status === 'pending' ? [] : [{ type: 'TextBlock', text: outcome(card), wrap: true, weight: 'Bolder' }]),
    { type: 'TextBlock', text: `Request ${md(card.id)} · hash ${card.requestHash.slice(0, 12)}`, isSubtle: true, size: 'Small', wrap: true },
  ];
  const actions =
    card.status !== 'pending'
      ? []
      : [
          { type: 'Action.Execute', title: 'Approve', verb: TeamsVerbs.approve, style: 'positive', data },
          {
            type: 'Action.ShowCard',
            title: 'Deny…',
            card: {
              type: 'AdaptiveCard',
              body: [{ type: 'Input.Text', id: 'reason', label: 'Reason', isMultiline: true, isRequired: true, errorMessage: 'Say why: the agent and the audit log read it.', maxLength: 2000 }],
              actions: [{ type: 'Action.Execute', title: 'Deny', verb: TeamsVerbs.deny, style: 'destructive', data }],
            },
          },
        ];
  if (card.status === 'pending') body.push({ type: 'Input.Text', id: 'comment', label: 'Comment (optional with Approve)', isMultiline: false, maxLength: 2000 });
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, actions };
}
