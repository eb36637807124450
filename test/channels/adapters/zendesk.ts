/**
 * The Zendesk channel against the loopback Zendesk fake: an agent's change in Zendesk (the macro's
 * tag), then the Countersign trigger's webhook call, signed as Zendesk documents (base64
 * HMAC-SHA256 of the timestamp followed by the raw body).
 */
import { signedDelivery, startFakeZendesk, type FakeTicket, type FakeZendesk } from '../../fakes/zendesk/server.js';
import { eventually } from '../../support/eventually.js';
import { PEOPLE, type ChannelUnderTest, type ContractTarget } from '../contract.js';

const SECRET = 'zendesk-webhook-secret-for-contract';

export function zendeskChannel(target: ContractTarget): ChannelUnderTest {
  let zd: FakeZendesk;
  const ticket = (id: string) => zd.tickets.find((t) => t.external_id === id);
  return {
    name: 'zendesk',
    async start() {
      zd = await startFakeZendesk({ email: 'bot@example.com', token: 'zd-contract-token' });
      return { ZENDESK_URL: zd.url, ZENDESK_EMAIL: 'bot@example.com', ZENDESK_API_TOKEN: 'zd-contract-token', ZENDESK_WEBHOOK_SECRET: SECRET };
    },
    posted: (id) => eventually(() => ticket(id), 30_000, 25, 'Zendesk ticket'),
    answer(card, id, who, decision) {
      const t = card as FakeTicket;
      const actor = who === 'approver' ? PEOPLE.approver.zendesk : PEOPLE.outsider.zendesk;
      // The person applies the macro in Zendesk (an agent-interface audit); Zendesk's trigger then calls the webhook.
      zd.agentUpdate(t.id, { addTags: [`countersign_${decision}`], ...(decision === 'deny' ? { comment: 'no' } : {}) });
      const d = signedDelivery(SECRET, { ticket_id: String(t.id), external_id: id, decision, actor_email: actor });
      return {
        send: () =>
          fetch(`${target.url}/webhooks/zendesk`, { method: 'POST', headers: d.headers, body: d.body }).then(async (r) => ({ status: r.status, body: await r.json() })),
      };
    },
    refusedReplay: (res) => res.status === 200 && res.body?.status === 'duplicate',
    showsFinal: (card, _id, status) => {
      const t = card as FakeTicket;
      return t.status === 'solved' && t.tags.includes(`countersign_${status}`);
    },
    stop: async () => zd?.close(),
  };
}
