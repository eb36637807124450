/**
 * `POST /v1/actions/:id/withdraw` on the real API and dev server: only the submitting agent takes
 * back a pending request; it ends `withdrawn`, no one can approve it afterwards, and the audit log
 * and the decision metric record it. Everyone else is refused the way a read would be.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionWithdrawnError, Countersign } from '../../client/index.js';
import { eventually, KEYS, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type Key = keyof typeof KEYS;
const refund = { blueprint: 'customer-support', action: 'refund', params: { amount: 75, customer_name: 'Jane Roe' } };
async function pending(): Promise<string> {
  const res = await h.call('POST', '/v1/actions', { token: KEYS.support, body: { ...refund, idempotencyKey: randomUUID() } });
  expect(res.body.status).toBe('pending');
  return res.body.id as string;
}
const withdraw = (key: Key, id: string, body: unknown = { reason: 'the customer cancelled' }) => h.call('POST', `/v1/actions/${id}/withdraw`, { token: KEYS[key], body });

describe('withdrawing a pending request', () => {
  it('the submitting agent withdraws it: withdrawn, decisions closed, audited, measured', async () => {
    const id = await pending();
    const res = await withdraw('support', id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'withdrawn', withdrawnBy: 'support-bot', reason: 'the customer cancelled' });
    expect(res.body.history.at(-1)).toMatchObject({ event: 'withdrawn', who: 'support-bot', why: 'the customer cancelled (via api)' });
    const late = await h.call('POST', `/v1/actions/${id}/decision`, { token: KEYS.alice, body: { decision: 'approve' } });
    expect(late.status).toBe(409);
    expect(late.body.error).toEqual({ code: 'already-decided', message: `action ${id} is already withdrawn: decisions are closed`, status: 'withdrawn' });
    const entry = await eventually(async () => {
      const text = await readFile(path.join(h.config.dataDir, 'audit.jsonl'), 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((r) => r.id === id && r.event === 'withdrawn');
    });
    expect(entry).toMatchObject({ who: 'support-bot', why: 'the customer cancelled' });
    const latency = await h.metrics.decisionLatency.get();
    expect(latency.values.some((v) => v.labels.status === 'withdrawn' && v.metricName === 'countersign_decision_latency_seconds_count' && v.value >= 1)).toBe(true);
    const again = await withdraw('support', id);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(`action ${id} is already withdrawn: nothing to withdraw`);
  });

  it.each([
    { who: 'another agent of the tenant', key: 'support2' as Key, status: 404, code: 'not-found' },
    { who: 'a tenant reader', key: 'reader' as Key, status: 403, code: 'forbidden' },
    { who: 'an approver', key: 'alice' as Key, status: 403, code: 'forbidden' },
  ])('$who is refused ($status) and the request stays pending', async ({ key, status, code }) => {
    const id = await pending();
    const res = await withdraw(key, id);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect((await h.call('GET', `/v1/actions/${id}`, { token: KEYS.support })).body.status).toBe('pending');
  });

  it('the client withdraws, and request() rejects a withdrawn action with ActionWithdrawnError', async () => {
    const client = new Countersign({ baseUrl: h.url, apiKey: KEYS.support, pollSeconds: 1 });
    const waiting = client.request({ ...refund, params: { amount: 51.25 } });
    const id = await eventually(async () => {
      const res = await h.call('GET', '/v1/approvals?status=pending', { token: KEYS.support });
      return (res.body.approvals as { id: string; summary: string }[]).find((a) => a.summary === 'refund amount=51.25')?.id;
    });
    await expect(client.withdraw(id, 'no longer needed')).resolves.toMatchObject({ status: 'withdrawn' });
    await expect(waiting).rejects.toBeInstanceOf(ActionWithdrawnError);
  });
});
