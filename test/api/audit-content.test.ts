/**
 * What the audit log keeps of a request, as the blueprints' `auditLog` asks, on the real API and
 * dev server: customer-support (`includeModelInputOutput: true`) keeps the model's input and output
 * in the submitted entry; a blueprint without it drops `context.model` before the log; PII is
 * `[redacted]` either way.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, KEYS, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const model = { model: 'gpt-x', input: 'refund the duplicate charge', output: 'calling refund(75)' };
const submitted = (id: string) =>
  eventually(async () => {
    const text = await readFile(path.join(h.config.dataDir, 'audit.jsonl'), 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((r) => r.id === id && r.event === 'submitted');
  });

describe('the submitted entry', () => {
  it.each([
    { blueprint: 'customer-support', action: 'refund', keeps: true },
    { blueprint: 'trust-escalation', action: 'wire', keeps: false },
  ])('$blueprint: context.model kept $keeps, customer_name redacted', async ({ blueprint, action, keeps }) => {
    const res = await h.call('POST', '/v1/actions', {
      token: KEYS.support,
      body: { blueprint, action, params: { amount: 75, customer_name: 'Jane Roe' }, context: { model, ticket: 'T-1' }, idempotencyKey: randomUUID() },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const entry = await submitted(res.body.id);
    expect(entry.data.request.context).toEqual(keeps ? { model, ticket: 'T-1' } : { ticket: 'T-1' });
    if (blueprint === 'customer-support') expect(entry.data.request.params.customer_name).toBe('[redacted]');
  });
});
