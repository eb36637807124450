import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionBlockedError,
  ActionDeniedError,
  ActionExpiredError,
  AuthError,
  BadRequestError,
  ClientError,
  ConflictError,
  Countersign,
  CountersignError,
  NotFoundError,
} from '../../client/index.js';
import { KEYS, startHarness, type Harness } from '../api/harness.js';

let h: Harness;
let gate: Countersign;
let alice: Countersign;
beforeAll(async () => {
  h = await startHarness();
  gate = new Countersign({ baseUrl: h.url, apiKey: KEYS.support });
  alice = new Countersign({ baseUrl: `${h.url}/`, apiKey: KEYS.alice });
});
afterAll(async () => {
  await h?.close();
});

/** Approves or denies the next pending refund an approver can see, as soon as it appears. */
async function answerWhenPending(who: Countersign, decision: 'approve' | 'deny', reason?: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await h.call('GET', '/v1/approvals?status=pending&group=support-leads&blueprint=customer-support', { token: KEYS.bob });
    const found = (res.body.approvals as { id: string }[]).find((a) => !answered.has(a.id));
    if (found) {
      answered.add(found.id);
      await who.decide(found.id, reason ? { decision, reason } : { decision });
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no pending approval appeared');
}
const answered = new Set<string>();

describe('Countersign client', () => {
  it('request() resolves with the approved state of an auto-approved action', async () => {
    const state = await gate.request({ blueprint: 'customer-support', action: 'read', resource: 'tickets' });
    expect(state).toMatchObject({ status: 'approved', verdict: 'auto_approve' });
  });

  it('request() waits for a person: approve resolves, deny rejects with ActionDeniedError', async () => {
    // Drain older pending ones so the helper answers ours.
    const old = await h.call('GET', '/v1/approvals?status=pending&group=support-leads', { token: KEYS.bob });
    for (const a of old.body.approvals as { id: string }[]) answered.add(a.id);

    const [approved] = await Promise.all([
      gate.request({ blueprint: 'customer-support', action: 'refund', params: { amount: 75 } }),
      answerWhenPending(alice, 'approve'),
    ]);
    expect(approved).toMatchObject({ status: 'approved', approvedBy: ['alice'] });

    const denied = gate.request({ blueprint: 'customer-support', action: 'refund', params: { amount: 76 } });
    const [outcome] = await Promise.allSettled([denied, answerWhenPending(alice, 'deny', 'not eligible for a refund')]);
    expect(outcome.status).toBe('rejected');
    const err = (outcome as PromiseRejectedResult).reason as ActionDeniedError;
    expect(err).toBeInstanceOf(ActionDeniedError);
    expect(err.code).toBe('action-denied');
    expect(err.state.reason).toBe('not eligible for a refund');
  });

  it('a policy denial rejects with ActionDeniedError', async () => {
    await expect(gate.request({ blueprint: 'customer-support', action: 'refund', params: { amount: 5 } })).rejects.toMatchObject({
      name: 'ActionDeniedError',
      code: 'action-denied',
    });
  });

  it('submit() and get() expose the raw states; a retry with the key is marked replayed', async () => {
    const key = `client-${Date.now()}`;
    const first = await gate.submit({ blueprint: 'customer-support', action: 'refund', params: { amount: 70 }, idempotencyKey: key });
    expect(first).toMatchObject({ status: 'pending', replayed: false });
    const again = await gate.submit({ blueprint: 'customer-support', action: 'refund', params: { amount: 70 }, idempotencyKey: key });
    expect(again).toMatchObject({ id: first.id, replayed: true });
    const state = await gate.get(first.id, { wait: 1 });
    expect(state.status).toBe('pending');
    await expect(gate.submit({ blueprint: 'customer-support', action: 'refund', params: { amount: 71 }, idempotencyKey: key })).rejects.toBeInstanceOf(ConflictError);
  });

  it('maps HTTP errors to typed errors with stable codes', async () => {
    const other = new Countersign({ baseUrl: h.url, apiKey: KEYS.other });
    const bad = await other.submit({ blueprint: 'nope', action: 'read' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad).toMatchObject({ code: 'bad-request', apiCode: 'unknown-blueprint', status: 400 });
    expect((bad as BadRequestError).issues[0]!.path).toBe('blueprint');

    const invalid = await gate.submit({ blueprint: 'customer-support', action: '' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'bad-request', apiCode: 'invalid-request' });

    const stranger = new Countersign({ baseUrl: h.url, apiKey: 'wrong-key-wrong-key-000' });
    await expect(stranger.request({ blueprint: 'customer-support', action: 'read' })).rejects.toMatchObject({ name: 'AuthError', code: 'auth', status: 401 });
    const first = await gate.submit({ blueprint: 'customer-support', action: 'read', resource: 'tickets' });
    // Another tenant's action is answered as if it did not exist; a blueprint not bound to the agent is forbidden.
    await expect(other.get(first.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(gate.submit({ blueprint: 'security-ops', action: 'read' })).rejects.toMatchObject({ name: 'AuthError', status: 403 });
    await expect(gate.get(`act_acme_${'0'.repeat(32)}`)).rejects.toBeInstanceOf(NotFoundError);

    const down = new Countersign({ baseUrl: 'http://127.0.0.1:1', apiKey: KEYS.support, retries: 0 });
    await expect(down.submit({ blueprint: 'customer-support', action: 'read' })).rejects.toMatchObject({ code: 'network' });
  });

  it('maps expired and blocked outcomes (server answers faked through the fetch option)', async () => {
    const fake = (final: Record<string, unknown>): typeof fetch =>
      (async (input: string | URL | Request) => {
        const url = String(input);
        const body = url.endsWith('/v1/actions')
          ? { id: 'act_acme_x', status: 'pending', verdict: 'require_approval', reason: 'r' }
          : { id: 'act_acme_x', verdict: 'require_approval', ...final };
        return new Response(JSON.stringify(body), { status: url.endsWith('/v1/actions') ? 201 : 200, headers: { 'content-type': 'application/json' } });
      }) as typeof fetch;
    const expired = new Countersign({ baseUrl: 'http://x', apiKey: 'k', fetch: fake({ status: 'expired', reason: 'nobody answered within 1h' }) });
    const e1 = await expired.request({ blueprint: 'b', action: 'a' }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ActionExpiredError);
    expect(e1).toMatchObject({ code: 'action-expired' });
    const blocked = new Countersign({ baseUrl: 'http://x', apiKey: 'k', fetch: fake({ status: 'blocked', reason: 'rate limit', retryAfter: 42 }) });
    const e2 = await blocked.request({ blueprint: 'b', action: 'a' }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(ActionBlockedError);
    expect(e2).toMatchObject({ code: 'action-blocked', retryAfter: 42 });
    expect(e2).toBeInstanceOf(CountersignError);
  });

  it.each([
    { name: '503 with Retry-After, then 201', answers: [503, 503, 201], retries: 4, outcome: 'ok', waitedAtLeast: 2000 },
    { name: 'no answer, then 201', answers: ['network', 201], retries: 4, outcome: 'ok', waitedAtLeast: 500 },
    { name: '503 beyond the retries', answers: [503, 503], retries: 1, outcome: 'unavailable', waitedAtLeast: 1000 },
    { name: 'a 4xx is never retried', answers: [400, 201], retries: 4, outcome: 'bad-request', waitedAtLeast: 0 },
  ] as const)('retries a submission: $name, with one idempotency key', async ({ answers, retries, outcome, waitedAtLeast }) => {
    const keys: string[] = [];
    let n = 0;
    const fetchFn = (async (_input: string | URL | Request, init?: RequestInit) => {
      keys.push((JSON.parse(String(init?.body)) as { idempotencyKey: string }).idempotencyKey);
      const answer = answers[n++];
      if (answer === 'network') throw new TypeError('fetch failed');
      const body = answer === 201 ? { id: 'act_acme_x', status: 'pending', verdict: 'require_approval', reason: 'r' } : { error: { code: answer === 503 ? 'unavailable' : 'invalid-request', message: 'no' } };
      return new Response(JSON.stringify(body), { status: answer, headers: { 'content-type': 'application/json', ...(answer === 503 ? { 'retry-after': '1' } : {}) } });
    }) as typeof fetch;
    const client = new Countersign({ baseUrl: 'http://x', apiKey: 'k', fetch: fetchFn, retries });
    const t0 = Date.now();
    const result = await client.submit({ blueprint: 'b', action: 'a' }).then(() => 'ok', (e: ClientError) => (e.status === 503 ? 'unavailable' : e.code));
    expect(result).toBe(outcome);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(waitedAtLeast - 50);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('request() gives up after timeoutMs with code timeout, leaving the action pending', async () => {
    const err = await gate.request({ blueprint: 'customer-support', action: 'refund', params: { amount: 77 } }, { timeoutMs: 1500 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'timeout' });
  });
});
