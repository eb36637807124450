/**
 * Zendesk end to end: the real service with the Zendesk integration, a real Temporal worker, a
 * loopback Zendesk fake, webhook calls signed like Zendesk signs them, and a local sandbox receiver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZendeskIntegration, readZendeskConfig, ZENDESK_WEBHOOK_PATH } from '../../integrations/channels/zendesk/index.js';
import { eventually } from '../api/harness.js';
import { AGENT_KEYS, PUBLIC_URL, startIntegrationService, type IntegrationService } from '../support/ticket-service.js';
import { signedDelivery, startFakeZendesk, type FakeZendesk } from '../fakes/zendesk/server.js';

const SECRET = 'zendesk-webhook-secret-for-tests';
const ESCALATE = { blueprint: 'customer-support', action: 'escalate.to-human', context: { ticket: 'T-1' } };
let zd: FakeZendesk;
let svc: IntegrationService;

beforeAll(async () => {
  zd = await startFakeZendesk({ email: 'bot@example.com', token: 'zd-token' });
  const config = readZendeskConfig({ ZENDESK_URL: zd.url, ZENDESK_EMAIL: 'bot@example.com', ZENDESK_API_TOKEN: 'zd-token', ZENDESK_WEBHOOK_SECRET: SECRET })!;
  svc = await startIntegrationService((ctx) => [createZendeskIntegration(config, ctx)]);
}, 240_000);

afterAll(async () => {
  await svc?.close();
  await zd?.close();
});

const post = (d: { body: string; headers: Record<string, string> }) =>
  fetch(`${svc.url}${ZENDESK_WEBHOOK_PATH}`, { method: 'POST', headers: d.headers, body: d.body }).then(async (r) => ({ status: r.status, body: await r.json() }));

async function submitAndTicket() {
  const res = await svc.submit(AGENT_KEYS.support, ESCALATE);
  expect(res).toMatchObject({ status: 'pending', approvers: ['tier2-support'] });
  const ticket = await eventually(async () => zd.tickets.find((t) => t.external_id === res.id), 60_000);
  return { id: res.id as string, ticket };
}

const status = async (id: string) => (await svc.get(AGENT_KEYS.support, id)).status;

describe('Zendesk approvals', () => {
  it('opens a ticket, takes a signed approve from a mapped agent, calls back, notes and solves', async () => {
    const { id, ticket } = await submitAndTicket();
    expect(ticket.tags).toEqual(expect.arrayContaining(['countersign', 'countersign_pending']));
    expect(ticket.comments[0]!.body).toContain(`Details, and to decide in Countersign's console after signing in: ${PUBLIC_URL}/requests/${id}`);
    expect(ticket.comments[0]!.body).toContain('escalate.to-human');

    const payload = { ticket_id: String(ticket.id), external_id: id, decision: 'approve', actor_email: 'Carol.Agent@example.com' };
    const good = signedDelivery(SECRET, payload);
    expect((await post({ ...good, headers: { ...good.headers, 'x-zendesk-webhook-signature': signedDelivery('wrong-secret', payload).headers['x-zendesk-webhook-signature']! } })).status).toBe(401);
    const { 'x-zendesk-webhook-signature': _drop, ...unsigned } = good.headers;
    expect((await post({ ...good, headers: unsigned })).status).toBe(401);
    expect((await post(signedDelivery(SECRET, payload, new Date(Date.now() - 10 * 60_000)))).status).toBe(401); // stale
    expect((await post({ body: good.body.replace('approve', 'deny'), headers: good.headers })).status).toBe(401); // tampered
    expect(await status(id)).toBe('pending');

    expect(ticket.comments[0]!.body).toMatch(/^Request hash: [0-9a-f]{64}$/m);
    // The macro, applied by Carol in Zendesk: the tag and an internal note in one agent-interface audit.
    zd.agentUpdate(ticket.id, { addTags: ['countersign_approve'], comment: 'customer is a VIP, approved' });
    expect(await post(good)).toMatchObject({ status: 200, body: { status: 'counted' } });
    expect((await post(good)).body).toEqual({ status: 'duplicate' });
    const callback = await eventually(async () => svc.callbacks.find((c) => c.id === id), 60_000);
    expect(callback).toMatchObject({ status: 'approved', verdict: 'execute', decidedBy: 'carol' });
    await eventually(async () => ticket.status === 'solved', 60_000);
    const outcome = ticket.comments.at(-1)!;
    expect(outcome).toMatchObject({ public: false });
    expect(outcome.body).toContain('approved by carol');
    expect(ticket.tags).toContain('countersign_approved');
  });

  it('refuses and records an unknown agent; a denial by email carries the reason', async () => {
    const { id, ticket } = await submitAndTicket();
    const stranger = { ticket_id: ticket.id, external_id: id, decision: 'approve', actor_email: 'stranger@example.com' };
    expect((await post(signedDelivery(SECRET, stranger))).body).toEqual({ status: 'refused' });
    const after = await svc.get(AGENT_KEYS.support, id);
    expect(after.status).toBe('pending');
    expect(JSON.stringify(after.history)).toContain('zendesk:stranger@example.com');

    zd.agentUpdate(ticket.id, { addTags: ['countersign_deny'], comment: 'the bot can handle this one' });
    zd.addComment(ticket.id, 'a later comment is not the reason');
    const deny = { ticket_id: ticket.id, external_id: id, decision: 'deny', actor_email: 'dave@example.com' };
    expect((await post(signedDelivery(SECRET, deny))).body).toEqual({ status: 'counted' });
    const callback = await eventually(async () => svc.callbacks.find((c) => c.id === id), 60_000);
    expect(callback).toMatchObject({ status: 'denied', verdict: 'block', decidedBy: 'dave', reason: 'the bot can handle this one' });
    await eventually(async () => ticket.status === 'solved', 60_000);
  });

  it('a decision tag set through the REST API is refused and recorded; the same agent in Zendesk decides', async () => {
    const { id, ticket } = await submitAndTicket();
    // Anyone holding an API token can set the tag as anyone: the audit says it came through the API.
    const api = await fetch(`${zd.url}/api/v2/tickets/${ticket.id}.json`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('bot@example.com/token:zd-token').toString('base64')}` },
      body: JSON.stringify({ ticket: { additional_tags: ['countersign_approve'], comment: { body: 'looks fine', public: false } } }),
    });
    expect(api.status).toBe(200);
    const forged = { ticket_id: String(ticket.id), external_id: id, decision: 'approve', actor_email: 'carol.agent@example.com' };
    expect((await post(signedDelivery(SECRET, forged))).body).toEqual({ status: 'refused' });
    const after = await svc.get(AGENT_KEYS.support, id);
    expect(after.status).toBe('pending');
    expect(after.history.find((h: any) => h.event === 'refused')).toMatchObject({
      who: 'carol',
      why: 'the tag countersign_approve was set through api, not by an agent in Zendesk: only a change made in the agent interface decides',
    });

    zd.agentUpdate(ticket.id, { addTags: ['countersign_deny'], comment: 'not for this customer' });
    const deny = { ticket_id: String(ticket.id), external_id: id, decision: 'deny', actor_email: 'carol.agent@example.com' };
    expect((await post(signedDelivery(SECRET, deny))).body).toEqual({ status: 'counted' });
    const callback = await eventually(async () => svc.callbacks.find((c) => c.id === id), 60_000);
    expect(callback).toMatchObject({ status: 'denied', decidedBy: 'carol', reason: 'not for this customer' });
  });

  it('honours a short Retry-After, and falls back to the web channel when Zendesk stays down', async () => {
    zd.failNext(1, 429, { path: '/api/v2/tickets.json', retryAfter: '1' });
    const { id } = await submitAndTicket();
    expect(zd.tickets.filter((t) => t.external_id === id)).toHaveLength(1);

    zd.failNext(3, 503, { path: '/api/v2/tickets.json' });
    const res = await svc.submit(AGENT_KEYS.support, ESCALATE);
    const state = await eventually(async () => {
      const s = await svc.get(AGENT_KEYS.support, res.id);
      return JSON.stringify(s.history).includes('built-in web channel') ? s : null;
    }, 90_000);
    expect(JSON.stringify(state.history)).toContain('zendesk-unavailable');
    expect(state.channel).toBe('web');
  }, 120_000);
});
