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
  DECIDE_HELP,
  NOT_A_DECISION,
  NOTES_OFF,
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
}, 240_000);

afterAll(async () => {
  await pd?.close();
  ca?.cleanup();
});

/** The service with the PagerDuty integration; `notes` is PAGERDUTY_NOTE_DECISIONS. */
async function startService(notes: 'off' | 'trusted'): Promise<IntegrationService> {
  const config = readPagerDutyConfig({
    PAGERDUTY_ROUTING_KEY: 'R0UTINGKEY',
    PAGERDUTY_API_TOKEN: 'pd-api-token',
    PAGERDUTY_WEBHOOK_SECRET: SECRET,
    PAGERDUTY_FROM_EMAIL: 'countersign@example.com',
    PAGERDUTY_EVENTS_HOST: pd.host,
    PAGERDUTY_API_HOST: pd.host,
    PAGERDUTY_CA_FILE: ca.caFile,
    PAGERDUTY_NOTE_DECISIONS: notes,
  })!;
  return startIntegrationService((ctx) => [createPagerDutyIntegration(config, ctx)], () => SATURDAY);
}

const deliver = (body: string, signature: string | null = signPagerDuty(SECRET, body)) =>
  fetch(`${svc.url}${PAGERDUTY_WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-pagerduty-signature': signature } : {}) }, body }).then(async (r) => ({ status: r.status, body: await r.json() }));

async function submitAndPage() {
  const res = await svc.submit(AGENT_KEYS.infra, SCALE);
  expect(res).toMatchObject({ status: 'pending', approvers: ['vp-engineering'] });
  const incident = await eventually(async () => pd.incidents.find((i) => i.dedupKey === res.id), 60_000);
  return { id: res.id as string, incident };
}

const status = async (id: string) => (await svc.get(AGENT_KEYS.infra, id)).status;

describe('PagerDuty approvals, notes off (the default)', () => {
  beforeAll(async () => {
    svc = await startService('off');
  }, 240_000);
  afterAll(async () => svc?.close());

  it('an "approve" note from a mapped approver changes nothing and is recorded as refused; the incident resolves to its approval through its alert', async () => {
    const { id, incident } = await submitAndPage();
    expect(incident.alerts[0]).toMatchObject({ alert_key: id });
    expect(incident.trigger.payload.custom_details.how_to_decide).toBe(DECIDE_HELP);
    expect(await deliver(annotatedEvent(`EV${++seq}`, incident.id, 'PALICE1', 'approve'))).toEqual({ status: 200, body: { status: 'refused' } });
    const after = await svc.get(AGENT_KEYS.infra, id);
    expect(after.status).toBe('pending');
    expect(after.history.find((h: any) => h.event === 'refused')).toMatchObject({ who: 'alice', why: NOTES_OFF });
    expect(pd.requests.some((r) => r.path === `/incidents/${incident.id}/alerts`)).toBe(true);
    expect(pd.requests.some((r) => r.method === 'GET' && r.path === `/incidents/${incident.id}`)).toBe(false);
    expect((await deliver(annotatedEvent(`EV${++seq}`, incident.id, 'PALICE1', 'looking into it'))).body).toEqual({ status: 'ignored' });
  });

  it('the responder follows the incident link, signs in, approves in the console; the incident is noted and resolved', async () => {
    const { id, incident } = await submitAndPage();
    const link = new URL(incident.trigger.links[0].href as string);
    expect(`${link.origin}${link.pathname}`).toBe(`${PUBLIC_URL}/requests/${id}`);
    const hash = (await svc.get(AGENT_KEYS.infra, id)).requestHash as string;
    expect(link.searchParams.get('h')).toBe(hash.slice(0, 16));
    const path = `${link.pathname}${link.search}`;
    // Signed out, the link only leads to sign-in, which comes back to it.
    const out = await fetch(`${svc.url}${path}`, { redirect: 'manual' });
    expect(out.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    const signIn = await fetch(`${svc.url}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: svc.url },
      body: new URLSearchParams({ token: 'test-approver-token-alice-001', next: path }),
      redirect: 'manual',
    });
    expect(signIn.headers.get('location')).toBe(path);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`${svc.url}${path}`, { headers: { cookie } })).text();
    expect(page).toContain('<button type="submit" class="primary">Approve</button>');
    const csrf = /data-csrf="([^"]+)"/.exec(page)![1]!;
    const decided = await fetch(`${svc.url}/requests/${id}/decision`, {
      method: 'POST',
      headers: { cookie, origin: svc.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, hash, decision: 'approve', reason: 'checked the rollout' }),
      redirect: 'manual',
    });
    expect(decided.status).toBe(303);
    await eventually(async () => (await status(id)) === 'approved', 60_000);
    await eventually(async () => incident.status === 'resolved' && incident.notes.some((n) => n.content.includes('approved by alice: checked the rollout')), 60_000);
  });
});

describe('PagerDuty approvals, notes trusted (PAGERDUTY_NOTE_DECISIONS=trusted)', () => {
  beforeAll(async () => {
    svc = await startService('trusted');
  }, 240_000);
  afterAll(async () => svc?.close());

  it('pages, takes an "approve" note from a mapped user, calls back, notes and resolves', async () => {
    const { id, incident } = await submitAndPage();
    expect(incident.trigger).toMatchObject({ event_action: 'trigger', dedup_key: id, routing_key: 'R0UTINGKEY', payload: { source: 'countersign', severity: expect.any(String) } });
    expect(incident.trigger.payload.custom_details).toMatchObject({ request_id: id, request: { action: 'scale.horizontal' }, reason: expect.stringContaining('change window') });
    expect(incident.trigger.links[0]).toEqual({ href: expect.stringMatching(new RegExp(`^${PUBLIC_URL}/requests/${id}\\?h=[0-9a-f]{16}&exp=\\d+$`)), text: `Decide in Countersign: ${id}` });
    // The link is the console page: it grants nothing until the responder signs in.
    const opened = await fetch(`${svc.url}/requests/${id}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(`/requests/${id}`)}`);

    const approve = annotatedEvent(`EV${++seq}`, incident.id, 'PALICE1', 'approve\ngo ahead');
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
    for (const loose of ['approve?', 'Denied access on db-3 earlier', 'deny', 'deny:']) {
      expect((await deliver(annotatedEvent(`EV${++seq}`, incident.id, 'PALICE2', loose))).body).toEqual({ status: 'refused' });
    }
    expect((await deliver(annotatedEvent(`EV${++seq}`, incident.id, 'PALICE2', 'approve', true))).body).toEqual({ status: 'refused' }); // trimmed
    expect((await svc.get(AGENT_KEYS.infra, id)).history.filter((h: any) => h.event === 'refused' && h.why === NOT_A_DECISION)).toHaveLength(5);
    expect((await deliver(annotatedEvent(`EV${++seq}`, incident.id, 'PALICE2', 'deny: not during the freeze'))).body).toEqual({ status: 'counted' });
    const callback = await eventually(async () => svc.callbacks.find((c) => c.id === id), 60_000);
    expect(callback).toMatchObject({ status: 'denied', verdict: 'block', decidedBy: 'alice', reason: 'not during the freeze' });
    await eventually(async () => incident.status === 'resolved', 60_000);
  });

  it('a copy that arrives while the first is in flight is not "duplicate" before the first is durable', async () => {
    const { id, incident } = await submitAndPage();
    const approve = annotatedEvent(`EV${++seq}`, incident.id, 'PALICE1', 'approve');
    pd.failNext(1, 503, { path: `/incidents/${incident.id}/alerts` });
    const [a, b] = await Promise.all([deliver(approve), deliver(approve)]);
    expect([a.status, b.status]).toEqual([503, 503]); // PagerDuty will retry both
    expect(await status(id)).toBe('pending');
    expect(await deliver(approve)).toEqual({ status: 200, body: { status: 'counted' } });
    expect(await deliver(approve)).toEqual({ status: 200, body: { status: 'duplicate' } });
    await eventually(async () => incident.status === 'resolved', 60_000); // before the next test injects Events API failures
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
