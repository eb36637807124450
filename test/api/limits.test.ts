/**
 * Rate limits on the submit path (api/limits + api/actions) on the real dev server: a real
 * worker runs the approval and limiter workflows, the security-ops blueprint's limits (30 actions
 * per minute, 10 remediations per hour, 60 s cooldown) are held per (tenant, blueprint, agent), a
 * held limit answers `blocked` with `retryAfter`, the sandbox's callback is told to block, and the
 * audit log records it. Window expiry itself is tested in test/workflows/limiter*.test.ts.
 *
 * COUNTERSIGN_LIMITS_WORKFLOWS may name another workflows module (to try a patched approval workflow).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFilePath } from '../../activities/audit/log.js';
import { ActionsService } from '../../api/actions/service.js';
import type { Principal } from '../../api/auth.js';
import { RateLimiter } from '../../api/limits/rate-limiter.js';
import { isRemediation, limitsOf, loadPolicy, type CompiledPolicy } from '../../triggers/index.js';
import { limiterStateQuery, limiterWorkflowId, type Agent, type ApprovalState } from '../../core/index.js';
import type { SubmitBody } from '../../api/http/schemas.js';
import { createMetrics } from '../../infra/metrics.js';
import { resolveWorkflowsPath } from '../../infra/temporal/bundle.js';
import { connectClient, createTestWorker, uniqueTaskQueue, type TestWorker } from '../support/temporal.js';
import { makeActivities, Sandbox } from '../workflows/harness.js';
import { eventually } from '../support/eventually.js';
import { channelNames } from '../../integrations/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const GROUPS = { 'soc-analyst': ['alice', 'bob'], 'soc-lead': ['bob'], 'security-director': ['carol'] };

let conn: Awaited<ReturnType<typeof connectClient>>;
let worker: TestWorker;
let sandbox: Sandbox;
let dataDir: string;
let policy: CompiledPolicy;
let actions: ActionsService;
const taskQueue = uniqueTaskQueue('limits-api');

beforeAll(async () => {
  conn = await connectClient();
  sandbox = await new Sandbox().start();
  const made = await makeActivities();
  dataDir = made.dataDir;
  worker = await createTestWorker({
    taskQueue,
    workflowsPath: process.env.COUNTERSIGN_LIMITS_WORKFLOWS ?? resolveWorkflowsPath(),
    activities: made.activities as unknown as WorkerOptions['activities'],
  });
  worker.start();
  const file = path.join(ROOT, 'policies/security-ops.yaml');
  policy = loadPolicy(await readFile(file, 'utf8'), { file, channels: channelNames() });
  actions = new ActionsService({
    client: conn.client,
    taskQueue,
    policies: { get: (b) => (b === policy.blueprint ? policy : undefined), list: () => [policy] },
    groups: GROUPS,
    approvers: ['alice', 'bob', 'carol'].map((id) => ({ id, name: id, token: `token-of-${id}-0123456789`, tenants: ['acme'], auditorOf: [], identities: {} })),
    knownTenants: ['acme'],
    metrics: createMetrics({ defaultMetrics: false }),
    logger: pino({ level: 'silent' }),
    now: Date.now,
    limits: new RateLimiter({ client: conn.client, taskQueue }),
  });
});

afterAll(async () => {
  await worker?.close();
  await sandbox?.stop();
  await conn?.close();
});

function agent(): Extract<Principal, { kind: 'agent' }> {
  const id = `soc-bot-${randomUUID().slice(0, 8)}`;
  return { kind: 'agent', id, tenant: 'acme', agent: { id, tenant: 'acme', blueprints: ['security-ops'], apiKey: `key-of-${id}-0123456789` } };
}
const read = (extra: Partial<SubmitBody> = {}): SubmitBody => ({ blueprint: 'security-ops', action: 'read', resource: 'siem_alerts', ...extra });
const blockIp = (extra: Partial<SubmitBody> = {}): SubmitBody => ({
  blueprint: 'security-ops',
  action: 'block-ip',
  params: { threat_score: 95, source: 'known-malicious', ip: '203.0.113.7' },
  ...extra,
});

async function auditOf(id: string): Promise<{ event: string; why: string | null }[]> {
  const text = await readFile(auditFilePath(dataDir), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event: string; id: string; why: string | null })
    .filter((r) => r.id === id);
}

const until = <T,>(fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> => eventually(fn, ms, 150);

describe('rate limits on the submit path (security-ops)', () => {
  it('classifies remediations: execute entries (no rateLimit.remediations in security-ops)', () => {
    expect(limitsOf(policy)).toEqual({ maxActions: 30, actionWindowMs: 60_000, maxRemediations: 10, remediationWindowMs: 3_600_000, cooldownMs: 60_000 });
    expect(['block-ip', 'isolate-host', 'disable-account', 'read'].map((a) => isRemediation(policy, a))).toEqual([true, true, true, false]);
  });

  it('the 31st action in a minute is blocked with retryAfter; the sandbox is told to block; it is audited', async () => {
    const bot = agent();
    const first = await Promise.all(Array.from({ length: 30 }, () => actions.submit(bot, read())));
    expect(first.map((r) => r.response.status)).toEqual(Array(30).fill('approved'));
    const blocked = await actions.submit(bot, read({ callbackUrl: sandbox.url }));
    expect(blocked.response).toMatchObject({ status: 'blocked', reason: expect.stringMatching(/rate limit: 30 actions per minute reached/) });
    expect(blocked.response.retryAfter).toBeGreaterThanOrEqual(1);
    expect(blocked.response.retryAfter).toBeLessThanOrEqual(60);
    const id = blocked.response.id;
    const delivered = await until(async () => sandbox.accepted(id)[0]);
    expect(delivered.body).toMatchObject({ id, status: 'blocked', verdict: 'block' });
    const audit = await until(async () => {
      const a = await auditOf(id);
      return a.some((r) => r.event === 'delivered') ? a : null;
    });
    expect(audit.map((r) => r.event)).toEqual(['submitted', 'blocked', 'delivered']);
    expect(audit[1]!.why).toMatch(/rate limit/);
    // Another agent under the same blueprint is not held (scope: tenant × blueprint × agent).
    expect((await actions.submit(agent(), read())).response.status).toBe('approved');
  });

  it('cooldown after a remediation blocks the next remediation of that agent only; ordinary actions go on', async () => {
    const bot = agent();
    expect((await actions.submit(bot, blockIp())).response.status).toBe('approved');
    const second = await actions.submit(bot, blockIp());
    expect(second.response).toMatchObject({ status: 'blocked', reason: expect.stringMatching(/cooldown of minute after the last remediation/) });
    expect(second.response.retryAfter).toBeGreaterThan(50);
    expect(second.response.retryAfter).toBeLessThanOrEqual(60);
    expect((await actions.submit(bot, read())).response.status).toBe('approved');
    expect((await actions.submit(agent(), blockIp())).response.status).toBe('approved');
  });

  it('a remediation that waits for a person counts at once (starts the cooldown)', async () => {
    const bot = agent();
    const pending = await actions.submit(bot, { blueprint: 'security-ops', action: 'isolate-host', resource: 'host-7' });
    expect(pending.response).toMatchObject({ status: 'pending', verdict: 'require_approval' });
    expect((await actions.submit(bot, blockIp())).response.status).toBe('blocked');
  });

  it('denied submissions consume nothing (and do not reach the limiter)', async () => {
    const bot = agent();
    const denied = await Promise.all(Array.from({ length: 31 }, () => actions.submit(bot, read({ resource: 'payroll' }))));
    expect(new Set(denied.map((r) => r.response.status))).toEqual(new Set(['denied']));
    const key = { tenant: 'acme', blueprint: 'security-ops', agent: bot.id };
    await expect(conn.client.workflow.getHandle(limiterWorkflowId(key, taskQueue)).describe()).rejects.toThrow();
    expect((await actions.submit(bot, read())).response.status).toBe('approved');
  });

  it('a retried submission (same idempotencyKey) is not counted twice', async () => {
    const bot = agent();
    const body = read({ idempotencyKey: `retry-${randomUUID()}` });
    const a = await actions.submit(bot, body);
    const b = await actions.submit(bot, body);
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ created: false, response: { id: a.response.id, status: 'approved' } });
    const snap = await conn.client.workflow.getHandle(limiterWorkflowId({ tenant: 'acme', blueprint: 'security-ops', agent: bot.id }, taskQueue)).query(limiterStateQuery);
    expect(snap.state.actions).toHaveLength(1);
    expect(snap.state.remembered.map((r) => r.id)).toEqual([a.response.id]);
  });

  it('a blocked submission answers from its workflow state (status blocked, retryAfter)', async () => {
    const bot = agent();
    await actions.submit(bot, blockIp());
    const blocked = await actions.submit(bot, blockIp());
    const state = (await conn.client.workflow.getHandle(blocked.response.id).query('state')) as ApprovalState;
    expect(state).toMatchObject({ status: 'blocked', retryAfter: blocked.response.retryAfter });
    expect(state.history.map((h) => h.event)).toEqual(['submitted', 'blocked']);
  });
});
