/**
 * The PagerDuty {@link ApprovalChannel}. `post` triggers an incident (Events API, dedup_key = the
 * approval id); a terminal `update` adds an outcome note (REST, `From` header) and resolves the
 * incident (Events API `resolve`); `escalate` pages PAGERDUTY_ESCALATION_ROUTING_KEY's service, or
 * raises the incident to high urgency with a note when no escalation key is set. `remind` sends
 * nothing: the service's escalation policy already re-notifies the on-call.
 */
import type { ApprovalCard, ChannelRef } from '../../../core/index.js';
import type { ApprovalChannel } from '../../kit/channel.js';
import type { PagerDutyClient } from './client.js';
import type { PagerDutyConfig } from './config.js';
import { PagerDutyError, PagerDutyRetryableCode } from './errors.js';
import { escalationKey, requestLink, resolveEvent, triggerEvent } from './event.js';
import { DECIDE_HELP, DECIDE_HELP_NOTES } from './note.js';

export const PAGERDUTY_CHANNEL = 'pagerduty';

type Client = Pick<PagerDutyClient, 'sendEvent' | 'rest'>;

export function createPagerDutyChannel(config: PagerDutyConfig, client: Client, publicUrl: string): ApprovalChannel {
  const help = config.noteDecisions === 'trusted' ? DECIDE_HELP_NOTES : DECIDE_HELP;
  /** The incident opened under `dedupKey`; retryable while the Events API has not created it yet. */
  const incidentId = async (dedupKey: string): Promise<string> => {
    const body = await client.rest<{ incidents?: { id: string }[] }>('GET', 'incidents', { query: { incident_key: dedupKey } });
    const id = body?.incidents?.[0]?.id;
    if (!id) throw new PagerDutyError(PagerDutyRetryableCode.IncidentNotFound, `no incident with incident_key ${dedupKey} yet`);
    return id;
  };

  /** Adds `content` unless an identical note exists (a retried activity must not repeat it). */
  const noteOnce = async (incident: string, content: string): Promise<void> => {
    const notes = await client.rest<{ notes?: { content?: string }[] }>('GET', `incidents/${incident}/notes`);
    if (notes?.notes?.some((n) => n.content === content)) return;
    await client.rest('POST', `incidents/${incident}/notes`, { data: { note: { content } }, from: true });
  };

  return {
    name: PAGERDUTY_CHANNEL,

    async post(card: ApprovalCard): Promise<ChannelRef> {
      await client.sendEvent(triggerEvent(card, config.routingKey, publicUrl, card.id, help));
      return { channel: PAGERDUTY_CHANNEL, ref: card.id };
    },

    async update(ref: ChannelRef, card: ApprovalCard): Promise<void> {
      if (card.status === 'pending') return; // progress lives in Countersign; the incident stays open
      const content = `Countersign: ${card.summary}\nOutcome: ${card.status}${card.outcome ? ` — ${card.outcome}` : ''}\n${requestLink(publicUrl, card)}`;
      await noteOnce(await incidentId(ref.ref), content);
      await client.sendEvent(resolveEvent(config.routingKey, ref.ref));
      // Resolving a dedup_key that was never triggered is accepted and ignored by the Events API.
      if (config.escalationRoutingKey) await client.sendEvent(resolveEvent(config.escalationRoutingKey, escalationKey(ref.ref)));
    },

    async remind(): Promise<void> {},

    async escalate(ref: ChannelRef, card: ApprovalCard, to: readonly string[]): Promise<void> {
      if (config.escalationRoutingKey) {
        const page = triggerEvent(card, config.escalationRoutingKey, publicUrl, escalationKey(ref.ref), help);
        page.payload.summary = `Escalated: ${page.payload.summary}`.slice(0, 1024);
        await client.sendEvent(page);
        return;
      }
      const incident = await incidentId(ref.ref);
      await client.rest('PUT', `incidents/${incident}`, { data: { incident: { type: 'incident_reference', urgency: 'high' } }, from: true });
      await noteOnce(incident, `Countersign: escalated; ${to.length > 0 ? `${to.join(', ')} may now decide too` : 'nobody was added'}. ${card.summary}`);
    },
  };
}
