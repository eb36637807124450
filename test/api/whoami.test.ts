/** `GET /v1/whoami` on the real API: what a key is, so a front door can refuse to start on a bad one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Countersign, AuthError } from '../../client/index.js';
import { KEYS, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('GET /v1/whoami', () => {
  it.each([
    { who: 'an agent', key: KEYS.support, body: { kind: 'agent', id: 'support-bot', tenant: 'acme', blueprints: ['customer-support', 'trust-escalation'], loaded: ['customer-support', 'trust-escalation'] } },
    { who: 'a wildcard agent', key: KEYS.other, body: { kind: 'agent', id: 'other-bot', tenant: 'globex', blueprints: ['*'], loaded: ['customer-support', 'infra-management', 'sales-ops', 'security-ops', 'trust-escalation'] } },
    { who: 'an approver', key: KEYS.audrey, body: { kind: 'approver', id: 'audrey', name: 'Audrey', tenants: [], auditorOf: ['acme'] } },
  ])('$who', async ({ key, body }) => {
    const res = await h.call('GET', '/v1/whoami', { token: key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(body);
    await expect(new Countersign({ baseUrl: h.url, apiKey: key }).whoami()).resolves.toEqual(body);
  });

  it('an unknown key is 401, and the client throws AuthError', async () => {
    expect((await h.call('GET', '/v1/whoami', { token: 'nobody-has-this-key-000000' })).status).toBe(401);
    await expect(new Countersign({ baseUrl: h.url, apiKey: 'nobody-has-this-key-000000', retries: 0 }).whoami()).rejects.toBeInstanceOf(AuthError);
  });
});
