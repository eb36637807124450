/**
 * Channels are where approvers answer (web, Slack, Teams, PagerDuty, Zendesk, …). What every
 * layer shares about them: the card a channel renders and the reference to a posted card. Which
 * channels exist is the channel registry's business (integrations/channels), not the contract's.
 */
import { decidedBy, type ApprovalState } from './approval.js';
import type { ActionRequest, RuleRef, Severity } from './request.js';
import type { Status } from './status.js';

/** A channel's name as policies write it (`channel: slack`) and the registry knows it. */
export type ChannelName = string;

/**
 * The built-in channel: the HTTP API lists and serves approvals, people answer through its
 * decision endpoint. Always on; the workflow makes its cards itself.
 */
export const WEB_CHANNEL = 'web' as const;

/** The path the API serves one approval under; where a web card "lives". */
export function webRef(id: string): string {
  return `/v1/approvals/${encodeURIComponent(id)}`;
}

/** How a link on a card is bound: to this version of the request, and until it can no longer be decided. */
export interface RequestLinkBinding {
  requestHash: string;
  /** Epoch ms (the approval's deadline); null: no expiry. */
  expiresAt: number | null;
}

/** The first 16 hex of the request hash a link carries (`h=`). */
export const linkHash = (requestHash: string): string => requestHash.slice(0, 16);

/**
 * The console page of one request (`/requests/<id>`): sign-in first, then the card and its
 * buttons. Bound (`h=` the request hash's prefix, `exp=` epoch seconds), the page refuses to
 * decide from a link made for another version of the request or after it expired. The link
 * grants nothing by itself: the console's sign-in and access rules decide who sees what.
 */
export function requestPageUrl(publicUrl: string, id: string, bound?: RequestLinkBinding): string {
  const url = `${publicUrl.replace(/\/+$/, '')}/requests/${encodeURIComponent(id)}`;
  if (!bound) return url;
  const exp = bound.expiresAt === null ? '' : `&exp=${Math.ceil(bound.expiresAt / 1000)}`;
  return `${url}?h=${linkHash(bound.requestHash)}${exp}`;
}

/**
 * Where a posted card lives in its channel (Slack channel + ts, Teams conversation + activity id, …).
 * Stored in the workflow, so it must be small, plain JSON.
 */
export interface ChannelRef {
  channel: ChannelName;
  ref: string;
  meta?: Record<string, string>;
}

/** Everything a channel may render. The request is already PII-redacted. */
export interface ApprovalCard {
  id: string;
  blueprint: string;
  /** The action request, with the policy's PII fields replaced by `[redacted]`. */
  request: ActionRequest;
  requestHash: string;
  /** The policy rule that asked for approval. */
  rule: RuleRef;
  /** One sentence: why a person must decide. */
  reason: string;
  explanation: readonly string[];
  /** Approver group names, as the policy names them. */
  approvers: readonly string[];
  /** Approver ids whose answer counts now. */
  eligible: readonly string[];
  quorum: { required: number; approvedBy: readonly string[] };
  /** Epoch ms, or null when no person is asked. */
  deadline: number | null;
  severity: Severity;
  status: Status;
  /** For terminal states: `alice`, `alice, bob` or `system`. */
  decidedBy: string | null;
  decidedAt: number | null;
  /** For terminal states: the deny reason, the expiry reason or the approval note. */
  outcome: string | null;
  /** One line for the card's footer: "approved by alice at 2026-01-02T10:00:00.000Z". */
  summary: string;
}

/**
 * The card for an approval as its `state` query answers it (the request already redacted by the
 * workflow); null for an approval started before the state carried its request. For channels
 * that re-render the card for the person who clicked, so an action needs to carry only the id and
 * the request hash.
 */
export function cardFromState(state: Omit<ApprovalState, 'history'>): ApprovalCard | null {
  const { request, rule } = state;
  if (!request || !rule) return null;
  const { blueprint, ...rest } = request;
  return {
    id: state.id,
    blueprint,
    request: rest,
    requestHash: state.requestHash,
    rule: { path: rule.path, line: rule.line },
    reason: state.reason,
    explanation: state.explanation ?? [],
    approvers: state.approvers,
    severity: 'warning',
    ...cardState(state, state.eligible ?? []),
  };
}

/** A card's title for each status: one wording for every channel. */
export const STATUS_TITLE: Readonly<Record<Status, string>> = {
  pending: '🔐 Approval needed',
  approved: '✅ Approved',
  denied: '⛔ Denied',
  expired: '⌛ Expired',
  blocked: '🚫 Blocked',
  withdrawn: '↩️ Withdrawn',
};

/** The part of a card that follows the approval's state. */
export type CardState = Pick<ApprovalCard, 'status' | 'eligible' | 'quorum' | 'deadline' | 'decidedBy' | 'decidedAt' | 'outcome' | 'summary'>;

const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());

/**
 * What a card shows for `state`: status, who decided and when, quorum progress and the footer
 * line. One wording for the card posted by the worker and the card a channel refreshes for the
 * person who clicked. `eligible` is used when the state does not list them.
 */
export function cardState(state: Omit<ApprovalState, 'history'>, eligible: readonly string[]): CardState {
  const by = decidedBy(state);
  let summary: string;
  switch (state.status) {
    case 'approved':
      summary = `approved by ${by} at ${iso(state.decidedAt)}`;
      break;
    case 'denied':
      summary = `denied by ${by}: ${state.reason}`;
      break;
    case 'expired':
    case 'blocked':
      summary = `${state.status}: ${state.reason}`;
      break;
    case 'withdrawn':
      summary = `withdrawn by ${by}: ${state.reason}`;
      break;
    default:
      summary = `waiting for ${state.quorum - state.approvedBy.length} more approval(s)` + (state.deadline !== null ? ` until ${iso(state.deadline)}` : '');
  }
  return {
    status: state.status,
    eligible: state.eligible ?? eligible,
    quorum: { required: state.quorum, approvedBy: state.approvedBy },
    deadline: state.deadline,
    decidedBy: by,
    decidedAt: state.decidedAt,
    outcome: state.status === 'pending' ? null : state.reason,
    summary,
  };
}
