/**
 * Events API v2 payloads built from an {@link ApprovalCard}. The incident's `dedup_key` is the
 * approval id, so a retried trigger never opens a second incident and `resolve` needs no lookup.
 */
import { requestPageUrl, type ApprovalCard } from '../../../core/index.js';
import type { EventPayload } from './client.js';
import { DECIDE_HELP } from './note.js';

/** The Events API caps `summary` at 1024 characters. */
const SUMMARY_MAX = 1024;

/**
 * Where the responder decides: the request's console page (`<publicUrl>/requests/<id>`). It grants
 * nothing by itself: the console asks for sign-in, then shows the request only to someone eligible.
 */
export function requestLink(publicUrl: string, card: Pick<ApprovalCard, 'id' | 'requestHash' | 'deadline'>): string {
  return requestPageUrl(publicUrl, card.id, { requestHash: card.requestHash, expiresAt: card.deadline });
}

/**
 * `trigger` for a new approval: severity from the policy, the redacted request in custom_details,
 * and how to decide (`help`: the link, or the note grammar when notes decide).
 */
export function triggerEvent(card: ApprovalCard, routingKey: string, publicUrl: string, dedupKey = card.id, help = DECIDE_HELP): EventPayload {
  const what = card.request.resource ? `${card.request.action} on ${card.request.resource}` : card.request.action;
  const summary = `Approval needed: ${what} (${card.blueprint}) — ${card.reason}`.slice(0, SUMMARY_MAX);
  const link = requestLink(publicUrl, card);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary,
      source: 'countersign',
      severity: card.severity,
      component: card.request.action,
      group: card.blueprint,
      class: 'approval',
      custom_details: {
        request_id: card.id,
        blueprint: card.blueprint,
        request: card.request,
        request_hash: card.requestHash,
        rule: `${card.rule.path}:${card.rule.line}`,
        reason: card.reason,
        explanation: card.explanation,
        approvers: card.approvers,
        eligible: card.eligible,
        quorum: `${card.quorum.approvedBy.length} of ${card.quorum.required}`,
        deadline: card.deadline === null ? null : new Date(card.deadline).toISOString(),
        how_to_decide: help,
        link,
      },
    },
    links: [{ href: link, text: `Decide in Countersign: ${card.id}` }],
  };
}

/** `resolve` of the incident opened under `dedupKey`. */
export function resolveEvent(routingKey: string, dedupKey: string): EventPayload {
  // pdjs' type wants a payload even for resolve; the Events API ignores it.
  return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey } as EventPayload;
}

/** Dedup key of the page sent to the escalation service. */
export function escalationKey(id: string): string {
  return `${id}:escalation`;
}
