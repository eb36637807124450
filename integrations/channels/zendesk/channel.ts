/**
 * The Zendesk {@link ApprovalChannel}. `post` creates the ticket, or finds the one a lost answer
 * already created (`external_id` = approval id), so a retried activity never opens two. A terminal
 * `update` adds the outcome as an internal note and solves the ticket (assigning it to
 * ZENDESK_EMAIL if nobody owns it: Zendesk cannot solve an unassigned ticket); a ticket already
 * solved is left alone. `remind` and `escalate` add internal notes; escalation also raises the
 * priority to urgent.
 */
import type { ApprovalCard, ChannelRef } from '../../../core/index.js';
import type { ApprovalChannel } from '../../kit/channel.js';
import type { ZendeskClient } from './client.js';
import type { ZendeskConfig } from './config.js';
import { newTicket, outcomeNote, ZendeskTag } from './ticket.js';

export const ZENDESK_CHANNEL = 'zendesk';

interface Ticket {
  id: number;
  status?: string;
  assignee_id?: number | null;
}

export function createZendeskChannel(config: ZendeskConfig, client: Pick<ZendeskClient, 'request'>, publicUrl: string): ApprovalChannel {
  const note = (ref: ChannelRef, body: string, extra: Record<string, unknown> = {}) =>
    client.request('PUT', `/api/v2/tickets/${encodeURIComponent(ref.ref)}.json`, { ticket: { comment: { body, public: false }, ...extra } });

  return {
    name: ZENDESK_CHANNEL,

    async post(card: ApprovalCard): Promise<ChannelRef> {
      const found = await client.request<{ tickets?: Ticket[] }>('GET', `/api/v2/tickets.json?external_id=${encodeURIComponent(card.id)}`);
      const existing = found?.tickets?.[0];
      const ticket = existing ?? (await client.request<{ ticket: Ticket }>('POST', '/api/v2/tickets.json', newTicket(card, publicUrl, config.groupId))).ticket;
      return { channel: ZENDESK_CHANNEL, ref: String(ticket.id) };
    },

    async update(ref: ChannelRef, card: ApprovalCard): Promise<void> {
      if (card.status === 'pending') return;
      const current = (await client.request<{ ticket: Ticket }>('GET', `/api/v2/tickets/${encodeURIComponent(ref.ref)}.json`)).ticket;
      if (current.status === 'solved' || current.status === 'closed') return;
      await note(ref, outcomeNote(card, publicUrl), {
        status: 'solved',
        ...(current.assignee_id ? {} : { assignee_email: config.email }),
        remove_tags: [ZendeskTag.Pending],
        additional_tags: [`countersign_${card.status}`],
      });
    },

    async remind(ref: ChannelRef, card: ApprovalCard, pending: readonly string[]): Promise<void> {
      await note(ref, `Countersign reminder: still waiting for ${pending.join(', ') || 'an approver'}. ${card.summary}`);
    },

    async escalate(ref: ChannelRef, card: ApprovalCard, to: readonly string[]): Promise<void> {
      await note(ref, `Countersign: escalated; ${to.length > 0 ? `${to.join(', ')} may now decide too` : 'nobody was added'}. ${card.summary}`, {
        priority: 'urgent',
        additional_tags: [ZendeskTag.Escalated],
      });
    },
  };
}
