/**
 * The limiter workflow on the real dev server (never mocked), through the API's `RateLimiter`
 * client (update-with-start, USE_EXISTING, retry on push-back). Windows are scaled down (seconds
 * instead of minutes) and checked against the workflow clock (`decidedAt`), not wall time.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../api/limits/rate-limiter.js';
import { LIMITER_WORKFLOW, acquireUpdate, limiterStateQuery, limiterWorkflowId, type LimiterKey, type LimiterSnapshot, type Limits } from '../../core/index.js';
import { resolveWorkflowsPath } from '../../infra/temporal/bundle.js';
import { connectClient, createTestWorker, uniqueTaskQueue, type TestWorker } from '../support/temporal.js';

let conn: Awaited<ReturnType<typeof connectClient>>;
let worker: TestWorker;
const taskQueue = uniqueTaskQueue('limiter');
const workflowsPath = resolveWorkflowsPath('workflows/limiter/workflow');

const key = (): LimiterKey => ({ tenant: 'acme', blueprint: 'security-ops', agent: `agent-${randomUUID().slice(0, 8)}` });
const limits = (over: Partial<Limits> = {}): Limits => ({
  maxActions: null,
  actionWindowMs: 60_000,
  maxRemediations: null,
  remediationWindowMs: 3_600_000,
  cooldownMs: null,
  ...over,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  conn = await connectClient();
  worker = await createTestWorker({ taskQueue, workflowsPath });
  worker.start();
});

afterAll(async () => {
  await worker?.close();
  await conn?.close();
});

async function snapshot(k: LimiterKey): Promise<LimiterSnapshot> {
  return conn.client.workflow.getHandle(limiterWorkflowId(k, taskQueue)).query(limiterStateQuery);
}

describe('limiter workflow', () => {
  it('the 31st action inside the (scaled) minute is blocked; the 1st of the next is granted', async () => {
    const limiter = new RateLimiter({ client: conn.client, taskQueue });
    const k = key();
    const l = limits({ maxActions: 30, actionWindowMs: 4000 });
    const first = await Promise.all(Array.from({ length: 30 }, (_, i) => limiter.acquire(k, { kind: 'action', requestId: `a${i}`, limits: l })));
    expect(first.every((g) => g.granted)).toBe(true);
    const oldest = Math.min(...first.map((g) => g.decidedAt));
    const blocked = await limiter.acquire(k, { kind: 'action', requestId: 'a30', limits: l });
    if (blocked.decidedAt - oldest < 4000) {
      expect(blocked).toMatchObject({ granted: false, limit: 'maxActionsPerMinute' });
      // Exactly when the oldest permit leaves the window, on the workflow clock.
      expect(blocked.retryAfterMs).toBe(oldest + 4000 - blocked.decidedAt);
      expect(blocked.retryAfter).toBe(Math.ceil(blocked.retryAfterMs / 1000));
    }
    await sleep(Math.max(0, oldest + 4000 - blocked.decidedAt) + 50);
    const next = await limiter.acquire(k, { kind: 'action', requestId: 'a31', limits: l });
    expect(next.granted).toBe(true);
    expect(next.decidedAt).toBeGreaterThanOrEqual(oldest + 4000);
  });

  it('the 11th remediation inside the (scaled) hour is blocked; an ordinary action is not', async () => {
    const limiter = new RateLimiter({ client: conn.client, taskQueue });
    const k = key();
    const l = limits({ maxRemediations: 10, remediationWindowMs: 60_000, maxActions: 100 });
    for (let i = 0; i < 10; i++) expect((await limiter.acquire(k, { kind: 'remediation', requestId: `r${i}`, limits: l })).granted).toBe(true);
    const eleventh = await limiter.acquire(k, { kind: 'remediation', requestId: 'r10', limits: l });
    expect(eleventh).toMatchObject({ granted: false, limit: 'maxRemediationsPerHour' });
    expect(eleventh.retryAfterMs).toBeGreaterThan(50_000);
    expect((await limiter.acquire(k, { kind: 'action', requestId: 'plain', limits: l })).granted).toBe(true);
  });

  it('cooldown: a remediation inside the (scaled) cooldown is blocked until it has passed', async () => {
    const limiter = new RateLimiter({ client: conn.client, taskQueue });
    const k = key();
    const l = limits({ cooldownMs: 2000 });
    const first = await limiter.acquire(k, { kind: 'remediation', requestId: 'c0', limits: l });
    expect(first.granted).toBe(true);
    const early = await limiter.acquire(k, { kind: 'remediation', requestId: 'c1', limits: l });
    expect(early).toMatchObject({ granted: false, limit: 'cooldownAfterRemediation' });
    expect(early.retryAfterMs).toBe(first.decidedAt + 2000 - early.decidedAt);
    await sleep(early.retryAfterMs + 50);
    const later = await limiter.acquire(k, { kind: 'remediation', requestId: 'c2', limits: l });
    expect(later.granted).toBe(true);
    expect(later.decidedAt - first.decidedAt).toBeGreaterThanOrEqual(2000);
  });

  it('200 concurrent requests against a limit of 30 grant exactly 30, across continue-as-new; retries do not consume', async () => {
    // Four "API processes" (limiters with their own in-process gates) share the one limiter workflow:
    // 4 × 3 in flight exceeds Temporal's 10 in-flight updates per workflow, so push-back is retried too.
    const limiters = Array.from({ length: 4 }, () => new RateLimiter({ client: conn.client, taskQueue, continueAfterUpdates: 40, maxAttempts: 40, maxInFlightPerKey: 3 }));
    const limiter = limiters[0]!;
    const k = key();
    const l = limits({ maxActions: 30, actionWindowMs: 120_000 });
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => limiters[i % 4]!.acquire(k, { kind: 'action', requestId: `p${i}`, limits: l })),
    );
    if (process.env.COUNTERSIGN_TIMINGS) console.error(`200 acquires in ${Math.round(performance.now() - started)} ms, ${limiters.reduce((n, x) => n + x.stats.retries, 0)} retried`);
    const granted = results.flatMap((g, i) => (g.granted ? [i] : []));
    expect(granted).toHaveLength(30);
    expect(results.filter((g) => !g.granted).every((g) => g.limit === 'maxActionsPerMinute')).toBe(true);
    // Retried submissions (same requestIds) are answered the same and consume nothing.
    const again = await Promise.all(granted.slice(0, 10).map((i) => limiter.acquire(k, { kind: 'action', requestId: `p${i}`, limits: l })));
    expect(again.every((g) => g.granted && g.duplicate)).toBe(true);
    const snap = await snapshot(k);
    expect(snap.state.actions).toHaveLength(30);
    expect(snap.run).toBeGreaterThan(1); // it did continue as new under load
  }, 90_000);

  it('continue-as-new carries the live window and the idempotency memory', async () => {
    const limiter = new RateLimiter({ client: conn.client, taskQueue, continueAfterUpdates: 3 });
    const k = key();
    const l = limits({ maxActions: 6, cooldownMs: 60_000 });
    for (let i = 0; i < 4; i++) expect((await limiter.acquire(k, { kind: 'action', requestId: `n${i}`, limits: l })).granted).toBe(true);
    expect((await limiter.acquire(k, { kind: 'remediation', requestId: 'n4', limits: l })).granted).toBe(true);
    const handle = conn.client.workflow.getHandle(limiterWorkflowId(k, taskQueue));
    const snap = await handle.query(limiterStateQuery);
    expect(snap.run).toBeGreaterThanOrEqual(2);
    expect(snap.state.actions).toHaveLength(5);
    expect(snap.state.lastRemediationAt).not.toBeNull();
    // The cooldown started in an earlier run still holds; a requestId from the first run is still remembered.
    expect(await limiter.acquire(k, { kind: 'remediation', requestId: 'n5', limits: l })).toMatchObject({ granted: false, limit: 'cooldownAfterRemediation' });
    expect(await limiter.acquire(k, { kind: 'action', requestId: 'n0', limits: l })).toMatchObject({ granted: true, duplicate: true });
    expect((await limiter.acquire(k, { kind: 'action', requestId: 'n6', limits: l })).granted).toBe(true);
    expect(await limiter.acquire(k, { kind: 'action', requestId: 'n7', limits: l })).toMatchObject({ granted: false, limit: 'maxActionsPerMinute' });
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });

  it('a new worker (after the old one stopped) continues from the durable state', async () => {
    const q = uniqueTaskQueue('limiter-restart');
    const a = await createTestWorker({ taskQueue: q, workflowsPath, extra: { stickyQueueScheduleToStartTimeout: '1 second' } });
    a.start();
    const limiter = new RateLimiter({ client: conn.client, taskQueue: q });
    const k = key();
    const l = limits({ maxActions: 5 });
    for (let i = 0; i < 3; i++) expect((await limiter.acquire(k, { kind: 'action', requestId: `w${i}`, limits: l })).granted).toBe(true);
    await a.close();
    const b = await createTestWorker({ taskQueue: q, workflowsPath });
    b.start();
    try {
      const more = [];
      for (let i = 3; i < 6; i++) more.push(await limiter.acquire(k, { kind: 'action', requestId: `w${i}`, limits: l }));
      expect(more.map((g) => g.granted)).toEqual([true, true, false]);
    } finally {
      await b.close();
    }
  });

  it('completes on its own once its state has gone quiet; the next request starts afresh', async () => {
    const memory = { rememberMs: 300, maxRemembered: 100 };
    const limiter = new RateLimiter({ client: conn.client, taskQueue, memory });
    const k = key();
    const l = limits({ maxActions: 1, actionWindowMs: 300 });
    expect((await limiter.acquire(k, { kind: 'action', requestId: 'i0', limits: l })).granted).toBe(true);
    const handle = conn.client.workflow.getHandle(limiterWorkflowId(k, taskQueue));
    const done = (await handle.result()) as LimiterSnapshot;
    expect(done.state.actions).toEqual([]);
    expect(done.granted).toBe(1);
    expect((await limiter.acquire(k, { kind: 'action', requestId: 'i1', limits: l })).granted).toBe(true);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });

  it('rejects a malformed request without retrying and without touching the state', async () => {
    const limiter = new RateLimiter({ client: conn.client, taskQueue });
    const k = key();
    expect((await limiter.acquire(k, { kind: 'action', requestId: 'ok', limits: limits({ maxActions: 2 }) })).granted).toBe(true);
    const bad = limiter.acquire(k, { kind: 'teleport' as 'action', requestId: 'bad', limits: limits({ maxActions: 2 }) });
    await expect(bad).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(bad).rejects.toMatchObject({ cause: { message: expect.stringMatching(/kind must be/) } });
    expect((await snapshot(k)).state.actions).toHaveLength(1);
    // The raw update by name works too (any API process, any language).
    const raw = await conn.client.workflow.getHandle(limiterWorkflowId(k, taskQueue)).executeUpdate(acquireUpdate, {
      args: [{ kind: 'action', requestId: 'raw', limits: limits({ maxActions: 2 }) }],
    });
    expect(raw.granted).toBe(true);
    expect(LIMITER_WORKFLOW).toBe('limiterWorkflow');
  });
});
