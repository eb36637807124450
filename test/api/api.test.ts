import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, KEYS, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const refund = (amount: number, key?: string) => ({
  blueprint: 'customer-support',
  action: 'refund',
  params: { amount },
  ...(key ? { idempotencyKey: key } : {}),
});

async function pendingRefund(): Promise<string> {
  const res = await h.call('POST', '/v1/actions', { token: KEYS.support, body: refund(75, randomUUID()) });
  expect(res.status).toBe(201);
  expect(res.body.status).toBe('pending');
  return res.body.id as string;
}

describe('bad input is a 4xx with a stable code, never a 500', () => {
  let pendingId: string;
  beforeAll(async () => {
    pendingId = await pendingRefund();
  });

  const cases: {
    name: string;
    method: string;
    path: () => string;
    token?: string;
    body?: unknown;
    raw?: string;
    contentType?: string | null;
    status: number;
    code: string;
    issue?: string;
  }[] = [
    { name: 'submit: malformed JSON', method: 'POST', path: () => '/v1/actions', token: KEYS.support, raw: '{"blueprint":', status: 400, code: 'invalid-json' },
    { name: 'submit: empty JSON body', method: 'POST', path: () => '/v1/actions', token: KEYS.support, raw: '', contentType: 'application/json', status: 400, code: 'invalid-json' },
    { name: 'submit: wrong content type', method: 'POST', path: () => '/v1/actions', token: KEYS.support, raw: 'blueprint=x', contentType: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported-media-type' },
    { name: 'submit: missing action', method: 'POST', path: () => '/v1/actions', token: KEYS.support, body: { blueprint: 'customer-support' }, status: 400, code: 'invalid-request', issue: 'action' },
    { name: 'submit: params not an object', method: 'POST', path: () => '/v1/actions', token: KEYS.support, body: { blueprint: 'customer-support', action: 'refund', params: [1] }, status: 400, code: 'invalid-request', issue: 'params' },
    { name: 'submit: unknown field', method: 'POST', path: () => '/v1/actions', token: KEYS.support, body: { blueprint: 'customer-support', action: 'read', agent: 'me' }, status: 400, code: 'invalid-request', issue: '(body)' },
    { name: 'submit: bad callbackUrl', method: 'POST', path: () => '/v1/actions', token: KEYS.support, body: { blueprint: 'customer-support', action: 'read', callbackUrl: 'ftp://x' }, status: 400, code: 'invalid-request', issue: 'callbackUrl' },
    { name: 'submit: JSON array body', method: 'POST', path: () => '/v1/actions', token: KEYS.support, raw: '[]', status: 400, code: 'invalid-request' },
    { name: 'submit: oversize body', method: 'POST', path: () => '/v1/actions', token: KEYS.support, raw: JSON.stringify({ blueprint: 'customer-support', action: 'read', params: { pad: 'x'.repeat(70 * 1024) } }), status: 413, code: 'payload-too-large' },
    { name: 'submit: no key', method: 'POST', path: () => '/v1/actions', body: refund(1), status: 401, code: 'unauthorized' },
    { name: 'submit: bad key', method: 'POST', path: () => '/v1/actions', token: 'not-a-key-not-a-key-0000', body: refund(1), status: 401, code: 'unauthorized' },
    { name: 'submit: approver token', method: 'POST', path: () => '/v1/actions', token: KEYS.alice, body: refund(1), status: 403, code: 'forbidden' },
    { name: 'submit: unknown blueprint', method: 'POST', path: () => '/v1/actions', token: KEYS.other, body: { blueprint: 'nope', action: 'read' }, status: 400, code: 'unknown-blueprint', issue: 'blueprint' },
    { name: 'submit: blueprint not bound to the agent', method: 'POST', path: () => '/v1/actions', token: KEYS.support, body: { blueprint: 'nope', action: 'read' }, status: 403, code: 'forbidden' },
    { name: 'get: no key', method: 'GET', path: () => `/v1/actions/${pendingId}`, status: 401, code: 'unauthorized' },
    { name: 'get: wrong tenant', method: 'GET', path: () => `/v1/actions/${pendingId}`, token: KEYS.other, status: 404, code: 'not-found' },
    { name: 'get: unknown id', method: 'GET', path: () => `/v1/actions/act_acme_${'0'.repeat(32)}`, token: KEYS.support, status: 404, code: 'not-found' },
    { name: 'get: not an action id', method: 'GET', path: () => '/v1/actions/whatever', token: KEYS.support, status: 404, code: 'not-found' },
    { name: 'get: wait over 60', method: 'GET', path: () => `/v1/actions/${pendingId}?wait=61`, token: KEYS.support, status: 400, code: 'invalid-request', issue: 'wait' },
    { name: 'get: wait not a number', method: 'GET', path: () => `/v1/actions/${pendingId}?wait=soon`, token: KEYS.support, status: 400, code: 'invalid-request', issue: 'wait' },
    { name: 'decision: deny without reason', method: 'POST', path: () => `/v1/actions/${pendingId}/decision`, token: KEYS.alice, body: { decision: 'deny' }, status: 400, code: 'invalid-request', issue: 'reason' },
    { name: 'decision: bad value', method: 'POST', path: () => `/v1/actions/${pendingId}/decision`, token: KEYS.alice, body: { decision: 'maybe' }, status: 400, code: 'invalid-request', issue: 'decision' },
    { name: 'decision: malformed JSON', method: 'POST', path: () => `/v1/actions/${pendingId}/decision`, token: KEYS.alice, raw: '{', status: 400, code: 'invalid-json' },
    { name: 'decision: no key', method: 'POST', path: () => `/v1/actions/${pendingId}/decision`, body: { decision: 'approve' }, status: 401, code: 'unauthorized' },
    { name: 'decision: agent key', method: 'POST', path: () => `/v1/actions/${pendingId}/decision`, token: KEYS.support, body: { decision: 'approve' }, status: 403, code: 'forbidden' },
    { name: 'decision: not an approver of it', method: 'POST', path: () => `/v1/actions/${pendingId}/decision`, token: KEYS.eve, body: { decision: 'approve' }, status: 404, code: 'not-found' },
    { name: 'decision: unknown id', method: 'POST', path: () => `/v1/actions/act_acme_${'1'.repeat(32)}/decision`, token: KEYS.alice, body: { decision: 'approve' }, status: 404, code: 'not-found' },
    { name: 'approvals: no key', method: 'GET', path: () => '/v1/approvals?status=pending', status: 401, code: 'unauthorized' },
    { name: 'approvals: bad status', method: 'GET', path: () => '/v1/approvals?status=lost', token: KEYS.alice, status: 400, code: 'invalid-request', issue: 'status' },
    { name: 'approvals: bad group', method: 'GET', path: () => '/v1/approvals?group=a%22%20OR%20x', token: KEYS.alice, status: 400, code: 'invalid-request', issue: 'group' },
    { name: 'unknown route', method: 'GET', path: () => '/v2/nothing', status: 404, code: 'not-found' },
  ];

  it.each(cases)('$name → $status $code', async (c) => {
    const res = await h.call(c.method, c.path(), {
      ...(c.token ? { token: c.token } : {}),
      ...(c.body !== undefined ? { body: c.body } : {}),
      ...(c.raw !== undefined ? { raw: c.raw } : {}),
      ...(c.contentType !== undefined ? { contentType: c.contentType } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(c.status);
    expect(res.body.error.code).toBe(c.code);
    expect(typeof res.body.error.message).toBe('string');
    if (c.issue) expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(c.issue);
  });

  it('names the unknown blueprint and lists the known ones to an agent bound to every blueprint', async () => {
    const res = await h.call('POST', '/v1/actions', { token: KEYS.other, body: { blueprint: 'nope', action: 'read' } });
    expect(res.body.error.message).toContain('"nope"');
    expect(res.body.error.known).toEqual(['customer-support', 'infra-management', 'sales-ops', 'security-ops', 'trust-escalation']);
  });
});

describe('submissions and decisions', () => {
  it('auto-approves customer-support read tickets', async () => {
    const res = await h.call('POST', '/v1/actions', { token: KEYS.support, body: { blueprint: 'customer-support', action: 'read', resource: 'tickets' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'approved', verdict: 'auto_approve' });
    expect(res.body.id).toMatch(/^act_acme_[0-9a-f]{32}$/);
  });

  it('denies what the policy does not grant (least privilege)', async () => {
    const res = await h.call('POST', '/v1/actions', { token: KEYS.support, body: refund(5) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'denied', verdict: 'deny' });
    expect(res.body.reason).toContain('least privilege');
  });

  it('requires approval for a refund of 75; ?wait long-polls until an approver approves', async () => {
    const sub = await h.call('POST', '/v1/actions', { token: KEYS.support, body: refund(75) });
    expect(sub.status).toBe(201);
    expect(sub.body).toMatchObject({ status: 'pending', verdict: 'require_approval', approvers: ['support-leads'] });
    expect([...sub.body.eligible].sort()).toEqual(['alice', 'bob']);
    expect(sub.body.deadline).toBeGreaterThan(Date.now());
    const id = sub.body.id as string;

    // ?wait returns the pending state when time is up.
    const t0 = Date.now();
    const still = await h.call('GET', `/v1/actions/${id}?wait=1`, { token: KEYS.support });
    expect(still.status).toBe(200);
    expect(still.body.status).toBe('pending');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);

    // A waiting reader is woken by the decision, well before its 30 s are up.
    const waiting = h.call('GET', `/v1/actions/${id}?wait=30`, { token: KEYS.support });
    await new Promise((r) => setTimeout(r, 300));
    const t1 = Date.now();
    const decided = await h.call('POST', `/v1/actions/${id}/decision`, { token: KEYS.alice, body: { decision: 'approve', reason: 'customer is right' } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ counted: true, state: { status: 'approved', approvedBy: ['alice'] } });
    const waited = await waiting;
    expect(waited.body.status).toBe('approved');
    expect(Date.now() - t1).toBeLessThan(10_000);
    expect(waited.body.history.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['submitted', 'approved']));

    // The other eligible approver still reads it; deciding again is a conflict.
    const asApprover = await h.call('GET', `/v1/actions/${id}`, { token: KEYS.bob });
    expect(asApprover.body.status).toBe('approved');
    const again = await h.call('POST', `/v1/actions/${id}/decision`, { token: KEYS.bob, body: { decision: 'approve' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already-decided');
  });

  it('an approver denies with a reason', async () => {
    const id = await pendingRefund();
    const res = await h.call('POST', `/v1/actions/${id}/decision`, { token: KEYS.bob, body: { decision: 'deny', reason: 'duplicate refund' } });
    expect(res.status).toBe(200);
    expect(res.body.state).toMatchObject({ status: 'denied', deniedBy: 'bob' });
    const got = await h.call('GET', `/v1/actions/${id}?wait=5`, { token: KEYS.support });
    expect(got.body).toMatchObject({ status: 'denied', reason: 'duplicate refund' });
  });

  it('an idempotent resubmission returns the same id and starts nothing new', async () => {
    const key = randomUUID();
    const first = await h.call('POST', '/v1/actions', { token: KEYS.support, body: refund(80, key) });
    expect(first.status).toBe(201);
    const run = (await h.client.workflow.getHandle(first.body.id).describe()).runId;
    const before = (await h.metrics.submissions.get()).values.reduce((n, v) => n + v.value, 0);
    const second = await h.call('POST', '/v1/actions', { token: KEYS.support, body: refund(80, key) });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, status: 'pending' });
    expect((await h.client.workflow.getHandle(first.body.id).describe()).runId).toBe(run);
    const after = (await h.metrics.submissions.get()).values.reduce((n, v) => n + v.value, 0);
    expect(after).toBe(before);
    const count = await eventually(async () => {
      const c = await h.client.workflow.count(`WorkflowId = "${first.body.id}"`);
      return c.count > 0 ? c.count : null;
    });
    expect(count).toBe(1);
  });

  it('reusing a key with a different body is a 409', async () => {
    const key = randomUUID();
    expect((await h.call('POST', '/v1/actions', { token: KEYS.support, body: refund(90, key) })).status).toBe(201);
    const res = await h.call('POST', '/v1/actions', { token: KEYS.support, body: refund(91, key) });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency-conflict');
    expect(res.body.error.message).toContain('different request');
  });

  it('the same key from another tenant is another action', async () => {
    const key = randomUUID();
    const a = await h.call('POST', '/v1/actions', { token: KEYS.support, body: { blueprint: 'customer-support', action: 'read', resource: 'tickets', idempotencyKey: key } });
    const b = await h.call('POST', '/v1/actions', { token: KEYS.other, body: { blueprint: 'customer-support', action: 'read', resource: 'tickets', idempotencyKey: key } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
    expect(b.body.id).toMatch(/^act_globex_/);
  });

  it('lists pending approvals by group from visibility; agents only see their tenant', async () => {
    const id = await pendingRefund();
    const listed = await eventually(async () => {
      const res = await h.call('GET', '/v1/approvals?status=pending&group=support-leads', { token: KEYS.alice });
      expect(res.status).toBe(200);
      return res.body.approvals.find((a: { id: string }) => a.id === id);
    });
    expect(listed).toMatchObject({ id, status: 'pending', blueprint: 'customer-support', tenant: 'acme', groups: ['support-leads'] });
    expect(listed.deadline).toBeGreaterThan(Date.now());

    const other = await h.call('GET', '/v1/approvals?status=pending&group=support-leads', { token: KEYS.other });
    expect(other.status).toBe(200);
    expect(other.body.approvals.some((a: { id: string }) => a.id === id)).toBe(false);
    const mine = await h.call('GET', '/v1/approvals?status=pending', { token: KEYS.support });
    expect(mine.body.approvals.some((a: { id: string }) => a.id === id)).toBe(true);
    const otherGroup = await h.call('GET', '/v1/approvals?status=pending&group=platform-lead', { token: KEYS.alice });
    expect(otherGroup.body.approvals.some((a: { id: string }) => a.id === id)).toBe(false);
  });

  it('emergency override: production scale on a Saturday needs vp-engineering', async () => {
    h.setClock(Date.parse('2025-06-07T12:00:00Z')); // a Saturday
    try {
      const res = await h.call('POST', '/v1/actions', {
        token: KEYS.infra,
        body: { blueprint: 'infra-management', action: 'scale.horizontal', params: { factor: 2 }, context: { environment: 'production', ticket: 'OPS-42' } },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'pending', verdict: 'require_approval', approvers: ['vp-engineering'], eligible: ['alice'] });
      expect(res.body.reason).toContain('change window');
      const notHer = await h.call('POST', `/v1/actions/${res.body.id}/decision`, { token: KEYS.dave, body: { decision: 'approve' } });
      expect(notHer.status).toBe(404);
      const ok = await h.call('POST', `/v1/actions/${res.body.id}/decision`, { token: KEYS.alice, body: { decision: 'approve' } });
      expect(ok.body.state.status).toBe('approved');
    } finally {
      h.setClock(null);
    }
  });

  it('requires a change ticket for infra changes', async () => {
    const res = await h.call('POST', '/v1/actions', {
      token: KEYS.infra,
      body: { blueprint: 'infra-management', action: 'scale.horizontal', params: { factor: 2 }, context: { environment: 'production' } },
    });
    expect(res.body).toMatchObject({ status: 'denied', verdict: 'deny' });
  });
});

describe('operations endpoints', () => {
  it('/healthz and /readyz', async () => {
    expect((await h.call('GET', '/healthz')).body).toEqual({ ok: true });
    const ready = await h.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true, temporal: true, policies: 5, degraded: [] });
  });

  it('/metrics exposes the service counters', async () => {
    await h.call('POST', '/v1/actions', { token: KEYS.support, body: { blueprint: 'customer-support', action: 'read', resource: 'tickets' } });
    await pendingRefund();
    const res = await h.call('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = String(res.body);
    expect(text).toMatch(/countersign_submissions_total\{verdict="auto_approve"\} [1-9]/);
    expect(text).toMatch(/countersign_submissions_total\{verdict="require_approval"\} [1-9]/);
    expect(text).toMatch(/countersign_submissions_total\{verdict="deny"\} \d/);
    expect(text).toContain('countersign_decision_latency_seconds_bucket');
    expect(text).toMatch(/countersign_pending [1-9]/);
    expect(text).toContain('countersign_expiries_total 0');
    expect(text).toContain('countersign_delivery_failures_total 0');
  });

  it('never logs a credential', () => {
    const all = h.log.text();
    for (const secret of Object.values(KEYS)) expect(all).not.toContain(secret);
  });
});
