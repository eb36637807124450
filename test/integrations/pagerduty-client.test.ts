/**
 * PagerDuty pieces without Temporal: signatures, the note grammar, pdjs against the HTTPS fake
 * (trusted only through the test CA), error finality, Retry-After, and idempotent setup via the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import {
  PagerDutyClient,
  PagerDutyError,
  parseDecisionNote,
  readPagerDutyConfig,
  signPagerDuty,
  verifyPagerDutySignature,
} from '../../integrations/channels/pagerduty/index.js';
import { startFakePagerDuty, type FakePagerDuty } from '../fakes/pagerduty/server.js';
import { createTestCa, type TestCa } from '../fakes/tls.js';

let ca: TestCa;
let pd: FakePagerDuty;
let env: Record<string, string>;
beforeAll(async () => {
  ca = createTestCa();
  pd = await startFakePagerDuty({ tls: ca, token: 'tok', routingKeys: ['RK'], users: {} });
  env = { PAGERDUTY_ROUTING_KEY: 'RK', PAGERDUTY_API_TOKEN: 'tok', PAGERDUTY_WEBHOOK_SECRET: 's', PAGERDUTY_FROM_EMAIL: 'cs@example.com', PAGERDUTY_EVENTS_HOST: pd.host, PAGERDUTY_API_HOST: pd.host, PAGERDUTY_CA_FILE: ca.caFile };
});
afterAll(async () => {
  await pd?.close();
  ca?.cleanup();
});

const event = { routing_key: 'RK', event_action: 'trigger' as const, dedup_key: 'k1', payload: { summary: 's', source: 'countersign', severity: 'info' as const } };

describe('PagerDuty wire pieces', () => {
  it('verifies v1 signatures over the raw body, any of several', () => {
    const body = Buffer.from('{"event":{}}');
    expect(verifyPagerDutySignature('sec', body, signPagerDuty('sec', body))).toBe(true);
    expect(verifyPagerDutySignature('sec', body, `v1=abc,${signPagerDuty('sec', body)}`)).toBe(true);
    expect(verifyPagerDutySignature('sec', body, signPagerDuty('other', body))).toBe(false);
    expect(verifyPagerDutySignature('sec', Buffer.from('{"event":{ }}'), signPagerDuty('sec', body))).toBe(false);
    expect(verifyPagerDutySignature('sec', body, undefined)).toBe(false);
  });

  it.each([
    { note: 'approve', decision: { decision: 'approve' } },
    { note: '  APPROVE  ', decision: { decision: 'approve' } },
    { note: 'approve\nchecked the runbook', decision: { decision: 'approve', reason: 'checked the runbook' } },
    { note: 'Deny: not now\nmore', decision: { decision: 'deny', reason: 'not now\nmore' } },
    { note: 'deny:during the freeze', decision: { decision: 'deny', reason: 'during the freeze' } },
    { note: 'approve?', decision: null },
    { note: 'approve: go ahead', decision: null },
    { note: 'approved', decision: null },
    { note: 'Denied access on db-3 earlier', decision: null },
    { note: 'deny', decision: null },
    { note: 'deny:   ', decision: null },
    { note: '/countersign approve', decision: null },
    { note: 'I approve of this', decision: null },
    { note: 'Countersign: approved by alice', decision: null },
    { note: '', decision: null },
  ])('the strict note grammar: $note', ({ note, decision }) => {
    expect(parseDecisionNote(note)).toEqual(decision);
  });

  it('a trimmed note never decides', () => {
    expect(parseDecisionNote('approve', true)).toBeNull();
  });

  it('refuses half a configuration, naming what is missing', () => {
    expect(readPagerDutyConfig({})).toBeNull();
    expect(() => readPagerDutyConfig({ PAGERDUTY_ROUTING_KEY: 'x' })).toThrow(/PAGERDUTY_API_TOKEN/);
    expect(() => readPagerDutyConfig({ ...env, PAGERDUTY_API_HOST: 'https://api.pagerduty.com' })).toThrow(/host\[:port\]/);
  });

  it('talks HTTPS through the test CA only, and classes errors as final or retryable', async () => {
    await new PagerDutyClient(readPagerDutyConfig(env)!).sendEvent(event);
    expect(pd.incidents.find((i) => i.dedupKey === 'k1')).toBeDefined();
    const untrusted = new PagerDutyClient(readPagerDutyConfig({ ...env, PAGERDUTY_CA_FILE: '' })!);
    await expect(untrusted.sendEvent(event)).rejects.toMatchObject({ code: 'pagerduty-unavailable', finality: 'retryable' });
    const client = new PagerDutyClient(readPagerDutyConfig(env)!);
    await expect(client.sendEvent({ ...event, routing_key: 'nope' })).rejects.toMatchObject({ code: 'pagerduty-rejected', finality: 'final', status: 400 });
    pd.failNext(1, 429, { retryAfter: '1' });
    await client.sendEvent(event); // short Retry-After: waited out once
    pd.failNext(10, 429, { retryAfter: '120' });
    const err = await client.sendEvent(event).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PagerDutyError);
    expect(err).toMatchObject({ code: 'pagerduty-rate-limited', finality: 'retryable', retryAfterMs: 120_000 });
    pd.clearFailures();
  });

  it('`countersign setup pagerduty` creates the subscription once', async () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t), env: { ...env, COUNTERSIGN_PUBLIC_URL: 'https://cs.example.com' }, cwd: process.cwd() };
    expect(await main(['setup', 'pagerduty'], io)).toBe(0);
    expect(pd.subscriptions).toHaveLength(1);
    expect(pd.subscriptions[0]).toMatchObject({ delivery_method: { type: 'http_delivery_method', url: 'https://cs.example.com/webhooks/pagerduty' }, events: ['incident.annotated'], filter: { type: 'account_reference' } });
    expect(out.join('\n')).toContain('PAGERDUTY_WEBHOOK_SECRET=fake-secret-shown-once');
    out.length = 0;
    expect(await main(['setup', 'pagerduty'], io)).toBe(0);
    expect(pd.subscriptions).toHaveLength(1);
    expect(out.join('\n')).toContain('already exists');
    expect(await main(['setup', 'pagerduty'], { ...io, env: {} })).toBe(2);
  });
});
