/** Zendesk pieces without Temporal: signature window, config, 429 handling and idempotent setup. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import {
  readZendeskConfig,
  signZendesk,
  verifyZendeskSignature,
  ZendeskClient,
} from '../../integrations/channels/zendesk/index.js';
import { startFakeZendesk, type FakeZendesk } from '../fakes/zendesk/server.js';

let zd: FakeZendesk;
beforeAll(async () => {
  zd = await startFakeZendesk({ email: 'bot@example.com', token: 'zd-token' });
});
afterAll(async () => zd?.close());

describe('Zendesk pieces', () => {
  it('verifies base64 HMAC of timestamp + body inside a 5-minute window', () => {
    const body = Buffer.from('{"a":1}');
    const now = Date.parse('2026-01-02T10:00:00Z');
    const ts = '2026-01-02T09:58:00Z';
    expect(verifyZendeskSignature('s', body, signZendesk('s', ts, body), ts, now)).toEqual({ ok: true });
    expect(verifyZendeskSignature('s', body, signZendesk('s', ts, body), ts, now + 4 * 60_000)).toMatchObject({ ok: false });
    expect(verifyZendeskSignature('s', body, signZendesk('x', ts, body), ts, now)).toMatchObject({ ok: false });
    expect(verifyZendeskSignature('s', body, signZendesk('s', ts, body), undefined, now)).toMatchObject({ ok: false });
  });

  it('config: off, half-configured, subdomain', () => {
    expect(readZendeskConfig({})).toBeNull();
    expect(() => readZendeskConfig({ ZENDESK_SUBDOMAIN: 'acme' })).toThrow(/ZENDESK_EMAIL.*ZENDESK_API_TOKEN.*ZENDESK_WEBHOOK_SECRET/);
    expect(readZendeskConfig({ ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: 'a@b.c', ZENDESK_API_TOKEN: 't', ZENDESK_WEBHOOK_SECRET: 's' })?.baseUrl).toBe('https://acme.zendesk.com');
  });

  it('a long Retry-After is thrown as retryable with the delay; a 4xx is final', async () => {
    const client = new ZendeskClient({ baseUrl: zd.url, email: 'bot@example.com', apiToken: 'zd-token' });
    zd.failNext(1, 429, { retryAfter: '30' });
    await expect(client.request('GET', '/api/v2/tickets.json')).rejects.toMatchObject({ code: 'zendesk-rate-limited', finality: 'retryable', retryAfterMs: 30_000 });
    const bad = new ZendeskClient({ baseUrl: zd.url, email: 'bot@example.com', apiToken: 'wrong' });
    await expect(bad.request('GET', '/api/v2/tickets.json')).rejects.toMatchObject({ code: 'zendesk-rejected', finality: 'final', status: 401 });
  });

  it('`countersign setup zendesk` creates the webhook, two triggers and the two macros the ticket names, once', async () => {
    const out: string[] = [];
    const env = { ZENDESK_URL: zd.url, ZENDESK_EMAIL: 'bot@example.com', ZENDESK_API_TOKEN: 'zd-token', COUNTERSIGN_PUBLIC_URL: 'https://cs.example.com' };
    const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t), env, cwd: process.cwd() };
    expect(await main(['setup', 'zendesk'], io)).toBe(0);
    expect(zd.webhooks).toEqual([expect.objectContaining({ endpoint: 'https://cs.example.com/webhooks/zendesk', request_format: 'json', subscriptions: ['conditional_ticket_events'] })]);
    expect(zd.triggers.map((t) => t.title)).toEqual(['Countersign: approve', 'Countersign: deny']);
    const action = zd.triggers[0].actions[0];
    expect(action.field).toBe('notification_webhook');
    expect(JSON.parse(action.value[1])).toEqual({ ticket_id: '{{ticket.id}}', external_id: '{{ticket.external_id}}', decision: 'approve', actor_email: '{{current_user.email}}' });
    expect(out.join('\n')).toContain('ZENDESK_WEBHOOK_SECRET=fake-zendesk-signing-secret');
    expect(zd.macros.map((m) => m.title)).toEqual(['Approve (Countersign)', 'Deny (Countersign)']);
    expect(zd.macros[1].actions).toEqual([
      { field: 'current_tags', value: 'countersign_deny' },
      { field: 'comment_mode_is_public', value: 'false' },
      { field: 'comment_value', value: 'Denied in Countersign because: ' },
    ]);
    expect(await main(['setup', 'zendesk'], io)).toBe(0);
    expect(zd.webhooks).toHaveLength(1);
    expect(zd.triggers).toHaveLength(2);
    expect(zd.macros).toHaveLength(2);
    expect(out.join('\n')).toContain('macro');
  });
});
