/**
 * PagerDuty end to end: the real service with the PagerDuty integration, a real Temporal worker,
 * an HTTPS PagerDuty fake trusted through the test CA, signed Webhooks v3 deliveries and a local
 * sandbox receiver. Nothing is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPagerDutyIntegration,
  PAGERDUTY_WEBHOOK_PATH,
  readPagerDutyConfig,
  signPagerDuty,
} from '../../integrations/channels/pagerduty/index.js';
import { eventually } from '../api/harness.js';
import { annotatedEvent, startFakePagerDuty, type FakePagerDuty } from '../fakes/pagerduty/server.js';
import { AGENT_KEYS, PUBLIC_URL, startIntegrationService, type IntegrationService } from '../support/ticket-service.js';
import { createTestCa, type TestCa } from '../fakes/tls.js';

const SECRET = 'pd-webhook-secret-for-tests';
const SATURDAY = Date.parse('2025-06-07T12:00:00Z');
const SCALE = { blueprint: 'infra-management', action: 'scale.horizontal', params: { factor: 2 }, context: { environment: 'production', ticket: 'OPS-42' } };
let ca: TestCa;
let pd: FakePagerDuty;
let svc: IntegrationService;
let seq = 0;

beforeAll(async () => {
  ca = createTestCa();
  pd = await startFakePagerDuty({
    tls: ca,
    token: 'pd-api-token',
    routingKeys: ['R0UTINGKEY'],
    users: { PALICE1: { email: 'someone@example.com', name: 'Alice' }, PALICE2: { email: 'ALICE@example.com', name: 'Alice 2' }, PSTRANGER: { email: 'stranger@example.com', name: 'Stranger' } },
  });
  const config = readPagerDutyConfig({
    PAGERDUTY_ROUTING_KEY: 'R0UTINGKEY',
    PAGERDUTY_API_TOKEN: 'pd-api-token',
    PAGERDUTY_WEBHOOK_SECRET: SECRET,
    PAGERDUTY_FROM_EMAIL: 'countersign@example.com',
    PAGERDUTY_EVENTS_HOST: pd.host,
    PAGERDUTY_API_HOST: pd.host,
    PAGERDUTY_CA_FILE: ca.caFile,
  })!;
  svc = await startIntegrationService((ctx) => [createPagerDutyIntegration(config, ctx)], () => SATURDAY);
}, 240_000);

afterAll(async () => {
  await svc?.close();
  await pd?.close();
  ca?.cleanup();
});

const deliver = (body: string, signature: string | null = signPagerDuty(SECRET, body)) =>
  fetch(`${svc.url}${PAGERDUTY_WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-pagerduty-signature': signature } : {}) }, body }).then(async (r) => ({ status: r.status, body: await r.json() }));

async function submitAndPage() {
  const res = await svc.submit(AGENT_KEYS.infra, SCALE);
  expect(res).toMatchObject({ status: 'pending', approvers: ['vp-engineering'] });
  const incident = await eventually(async () => pd.incidents.find((i) => i.incident_key === res.id), 60_000);
  return { id: res.id as string, incident };
}

const status = async (id: string) => (await svc.get(AGENT_KEYS.infra, id)).status;

describe('PagerDuty approvals', () => {
  it('pages, takes an "approve" note from a mapped user, calls back, notes and resolves', async () => {
    const { id, incident } = await submitAndPage();
    expect(incident.trigger).toMatchObject({ event_action: 'trigger', dedup_key: id, routing_key: 'R0UTINGKEY', payload: { source: 'countersign', severity: expect.any(String) } });
    expect(incident.trigger.payload.custom_details).toMatchObject({ request_id: id, request: { action: 'scale.horizontal' }, reason: expect.stringContaining('change window') });
    expect(incident.trigger.links[0].href).toBe(`${PUBLIC_URL}/v1/actions/${id}`);

    const approve = annotatedEvent(`EV${++seq}`, incident.id, 'PALICE1', 'approve: go ahead');
    expect((await deliver(approve, 'v1=deadbeef')).status).toBe(401); // forged
    expect((await deliver(approve, null)).status).toBe(401); // missing
    expect((await deliver(approve, `v1=00,${signPagerDuty('another-secret', approve)}`)).status).toBe(401);
    expect(await status(id)).toBe('pending');

    expect(await deliver(approve, `v1=${'0'.repeat(64)}, ${signPagerDuty(SECRET, approve)}`)).toMatchObject({ status: 200, body: { status: 'counted' } });
    await eventually(async () => (await status(id)) === 'approved', 60_000);
    const callback = await eventually(async () => svc.callbacks.find((c) => c.id === id), 60_000);
    expect(callback).toMatchObject({ status: 'approved', verdict: 'execute', decidedBy: 'alice' });
    await eventually(async () => incident.status === 'resolved' && incident.notes.some((n) => n.content.includes('approved by alice')), 60_000);
    const notes = pd.requests.filter((r) => r.method === 'POST' && r.path === `/incidents/${incident.id}/notes`);
    expect(notes.every((r) => r.headers.from === 'countersign@example.com')).toBe(true);

    expect((await deliver(approve)).body).toEqual({ status: 'duplicate' }); // same event id again
  });

  it('refuses and records an unknown PagerDuty user; an email-mapped user denies', async () => {
    const { id, incident } = await submitAndPage();
    expect((await deliver(annotatedEvent(`EV${++seq}`, incident.id, 'PSTRANGER', 'approve'))).body).toEqual({ status: 'refused' });
    const after = await svc.get(AGENT_KEYS.infra, id);
    expect(after.status).toBe('pending');
    expect(JSON.stringify(after)).toContain('pagerduty:PSTRANGER');

    expect((await deliver(annotatedEvent(`EV${++seq}`, incident.id, 'PALICE2', 'just looking'))).body).toEqual({ status: 'ignored' });
    expect((await deliver(annotatedEvent(`EV${++seq}`, incident.id, 'PALICE2', 'deny: not during the freeze'))).body).toEqual({ status: 'counted' });
    const callback = await eventually(async () => svc.callbacks.find((c) => c.id === id), 60_000);
    expect(callback).toMatchObject({ status: 'denied', verdict: 'block', decidedBy: 'alice', reason: 'not during the freeze' });
    await eventually(async () => incident.status === 'resolved', 60_000);
  });

  it('retries a PagerDuty outage while posting, then falls back to the web channel instead of hanging', async () => {
    pd.failNext(3, 503, { path: '/v2/enqueue' }); // the card activity's 3 attempts
    const res = await svc.submit(AGENT_KEYS.infra, SCALE);
    const state = await eventually(async () => {
      const s = await svc.get(AGENT_KEYS.infra, res.id);
      return JSON.stringify(s).includes('built-in web channel') ? s : null;
    }, 90_000);
    expect(JSON.stringify(state)).toContain('pagerduty-unavailable');
    const attempts = pd.requests.filter((r) => r.path === '/v2/enqueue' && r.body?.dedup_key === res.id).length;
    expect(attempts).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
