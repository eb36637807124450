/**
 * The kill switch on the real API and dev server: an admin freezes an agent, a blueprint or a
 * tenant; new submissions are refused 403 `frozen` with the reason (in another API process too,
 * within its refresh interval), optionally every pending request of it ends denied; everything is
 * audited; only an admin token may do it; the CLI drives the same endpoints.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FreezeWatch } from '../../api/freezes/watch.js';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';
import { eventually, KEYS, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type Key = keyof typeof KEYS;
const refund = (amount = 75) => ({ blueprint: 'customer-support', action: 'refund', params: { amount }, idempotencyKey: randomUUID() });
const submit = (key: Key, body: Record<string, unknown> = refund()) => h.call('POST', '/v1/actions', { token: KEYS[key], body });
const freeze = (body: Record<string, unknown>, key: Key = 'admin') => h.call('POST', '/v1/admin/freezes', { token: KEYS[key], body });
const unfreeze = (scope: string, value: string) => h.call('DELETE', `/v1/admin/freezes/${scope}/${value}`, { token: KEYS.admin });
const audit = async () => (await readFile(path.join(h.config.dataDir, 'audit.jsonl'), 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('freezing an agent', () => {
  it('refuses its submissions with the reason, leaves others alone, is audited, and unfreezes', async () => {
    // Another API process's view, refreshed on its own schedule.
    const elsewhere = new FreezeWatch(h.client, h.taskQueue, h.log.logger, 250);
    elsewhere.start();
    try {
      const res = await freeze({ scope: 'agent', value: 'support-bot', reason: 'prompt injection suspected' });
      expect(res.status).toBe(201);
      expect(res.body.freezes).toEqual([{ scope: 'agent', value: 'support-bot', reason: 'prompt injection suspected', by: 'root', at: expect.any(Number) }]);
      const t0 = Date.now();
      await eventually(async () => (await elsewhere.current()).some((f) => f.value === 'support-bot'), 5000, 50);
      console.log(`kill switch: another API process saw the freeze after ${Date.now() - t0} ms`);
      const refused = await submit('support');
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'frozen', message: 'agent support-bot is frozen by root: prompt injection suspected', frozen: { scope: 'agent', value: 'support-bot', by: 'root' } });
      expect((await submit('support2')).status).toBe(201);
      await eventually(async () => (await audit()).find((r) => r.event === 'frozen' && r.id === 'agent:support-bot' && r.who === 'root'));
      await eventually(async () => (await audit()).find((r) => r.event === 'refused' && r.who === 'support-bot' && r.data.refusal === 'frozen'));
      const frozenCount = (await h.metrics.submissions.get()).values.find((v) => v.labels.verdict === 'frozen')?.value ?? 0;
      expect(frozenCount).toBeGreaterThanOrEqual(1);

      expect((await unfreeze('agent', 'support-bot')).body).toEqual({ freezes: [] });
      expect((await submit('support')).status).toBe(201);
    } finally {
      elsewhere.stop();
    }
  });
});

describe('freezing a blueprint with --deny-pending', () => {
  it('ends each pending request of it denied "frozen by <admin>: <reason>"', async () => {
    const pending = await submit('support2', refund(80));
    expect(pending.body.status).toBe('pending');
    await eventually(async () => ((await h.call('GET', '/v1/approvals?status=pending', { token: KEYS.alice })).body.approvals as { id: string }[]).some((a) => a.id === pending.body.id));
    const res = await freeze({ scope: 'blueprint', value: 'customer-support', reason: 'incident 42', denyPending: true });
    expect(res.status).toBe(201);
    expect(res.body.denied).toContain(pending.body.id);
    const state = await eventually(async () => {
      const s = (await h.call('GET', `/v1/actions/${pending.body.id}`, { token: KEYS.support2 })).body;
      return s.status === 'denied' ? s : null;
    });
    expect(state).toMatchObject({ deniedBy: 'root', reason: 'frozen by root: incident 42' });
    expect((await submit('support2')).body.error.message).toBe('blueprint customer-support is frozen by root: incident 42');
    await unfreeze('blueprint', 'customer-support');
  });
});

describe('who may freeze', () => {
  it.each([
    { who: 'an agent', key: 'support' as Key },
    { who: 'an approver', key: 'alice' as Key },
  ])('$who gets 403', async ({ key }) => {
    const res = await freeze({ scope: 'tenant', value: 'acme', reason: 'x' }, key);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('freezing needs an admin token (admins: in countersign.yaml), never an agent key or approver token');
  });

  it('a freeze needs a reason', async () => {
    const res = await freeze({ scope: 'tenant', value: 'acme' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('invalid body: reason: Invalid input: expected string, received undefined');
  });
});

describe('countersign freeze / freezes / unfreeze', () => {
  const run = async (args: string[]) => {
    const io = captureIO({ env: { COUNTERSIGN_URL: h.url, COUNTERSIGN_ADMIN_TOKEN: KEYS.admin } });
    const code = await main(args, io);
    return { code, out: io.stdoutText().trimEnd(), err: io.stderrText().trimEnd() };
  };
  it('freezes a tenant, lists it, and unfreezes it', async () => {
    expect(await run(['freeze', 'tenant', 'acme', '--reason', 'breach drill'])).toEqual({ code: 0, out: 'frozen: tenant acme', err: '' });
    expect((await submit('soc', { blueprint: 'security-ops', action: 'block-ip', resource: '203.0.113.9', params: { threat_score: 95, source: 'known-malicious' }, idempotencyKey: randomUUID() })).body.error.code).toBe('frozen');
    const listed = await run(['freezes']);
    expect(listed.out).toMatch(/^tenant acme: frozen by root at \d{4}-\d\d-\d\dT[\d:.]+Z: breach drill$/);
    expect(await run(['unfreeze', 'tenant', 'acme'])).toEqual({ code: 0, out: 'unfrozen: tenant acme', err: '' });
    expect(await run(['freezes'])).toEqual({ code: 0, out: 'nothing is frozen', err: '' });
    expect(await run(['freeze', 'tenant', 'acme'])).toMatchObject({ code: 2, err: expect.stringMatching(/^countersign freeze: --reason is required/) });
  });
});
