/**
 * The test-only webhook channel (test/channels/webhook) against its "vendor": a receiver that
 * checks each card's signature and keeps it, and decisions signed with the channel's scheme.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { eventually } from '../../support/eventually.js';
import { PEOPLE, type ChannelUnderTest, type ContractTarget } from '../contract.js';

const SECRET = 'webhook-channel-secret-for-tests';
const sign = (timestamp: string, body: string) => `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;

export function webhookChannel(target: ContractTarget): ChannelUnderTest {
  const cards = new Map<string, any>();
  let server: Server;
  return {
    name: 'webhook',
    async start() {
      server = createServer(async (req, res) => {
        const raw = await text(req);
        const ts = String(req.headers['x-webhook-timestamp'] ?? '');
        if (req.headers['x-webhook-signature'] !== sign(ts, raw)) return void res.writeHead(401).end();
        const { card } = JSON.parse(raw) as { card: { id: string } };
        cards.set(card.id, card);
        res.writeHead(200).end('{}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return { WEBHOOK_CHANNEL_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cards`, WEBHOOK_CHANNEL_SECRET: SECRET };
    },
    posted: (id) => eventually(() => cards.get(id), 30_000, 25, 'webhook card'),
    answer(card, id, who, decision) {
      const body = JSON.stringify({
        approval: id,
        requestHash: (card as { requestHash: string }).requestHash,
        decision,
        ...(decision === 'deny' ? { reason: 'no' } : {}),
        user: who === 'approver' ? PEOPLE.approver.webhook : PEOPLE.outsider.webhook,
      });
      const ts = String(Math.floor(Date.now() / 1000));
      return {
        send: () =>
          fetch(`${target.url}/webhooks/test-channel`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-webhook-timestamp': ts, 'x-webhook-signature': sign(ts, body) },
            body,
          }).then(async (r) => ({ status: r.status, body: await r.json() })),
      };
    },
    refusedReplay: (res) => res.status === 409,
    showsFinal: (_card, id, status) => cards.get(id)?.status === status && cards.get(id)?.decidedBy === 'alice',
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
