/**
 * Pending-load benchmark: BENCH_PENDING (default 10,000) approvals waiting on ONE worker, each with
 * an SLA timer and reminders, then all expiring.
 *
 *   - worker RSS (the `countersign worker` child's VmRSS, sampled every second; peak and at full load)
 *     — target ≤ 1 GB;
 *   - `GET /v1/approvals?status=pending&limit=100` latency, p50/p95, once all N are pending (reminder
 *     waves running) — target p95 ≤ 200 ms — and, printed beside it, while the submissions arrive at
 *     full speed;
 *   - expiry lag: for every approval, when its workflow recorded `expired` (the workflow clock, from
 *     the audit log's `decidedAt`) minus its deadline; max and p99 — target ≤ 2 s for all.
 *     Deadlines are spread exactly like submissions were (SLA after each start), so the expiry wave
 *     runs at the submission rate; the wave's rate is printed with it.
 *
 *   node --import tsx bench/pending/run.ts      (BENCH_PENDING, BENCH_SLA_S, BENCH_CONCURRENCY)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../server/temporal/index.js';
import { callJson } from '../lib/http.js';
import { rssBytes, serviceEnv, spawnService, writeServiceFixture } from '../lib/service.js';
import { machine, ms, percentile, sleep } from '../lib/stats.js';
import { benchDevServer } from '../lib/temporal.js';

const N = Number(process.env.BENCH_PENDING ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** Long enough for every submission to land before the first deadline (assumes ≥ 10 submissions/s). */
const SLA_S = Number(process.env.BENCH_SLA_S ?? Math.max(300, Math.ceil(N / 10) + 120));
const REMIND_S = Math.max(10, Math.floor(SLA_S / 4));
const LIST_SAMPLES = 100;
const AGENT_KEY = 'bench-agent-key-pending-00001';
const TOKEN = 'bench-approver-token-ann-0001';

const CONFIG = `agents:
  - { id: bench-agent, tenant: bench, apiKey: ${AGENT_KEY} }
approvers:
  - { id: ann, name: Ann, token: ${TOKEN} }
  - { id: ben, name: Ben, token: bench-approver-token-ben-0001 }
groups:
  reviewers: [ann, ben]
`;
const POLICY = `blueprint: pending
security:
  permissions:
    execute:
      - action: bench.wait
        approval: reviewers
        sla: ${SLA_S}s
        remindEvery: ${REMIND_S}s
`;

const dir = await mkdtemp(path.join(tmpdir(), 'countersign-bench-pending-'));
const temporal = await benchDevServer(path.join(dir, 'temporal.db'));
const fixture = await writeServiceFixture(dir, CONFIG, { 'pending.yaml': POLICY });
const apiPort = await freePort();
const env = serviceEnv(fixture, { temporalAddress: temporal.address, port: apiPort, logLevel: 'error' });
// BENCH_WORKER_NODE_OPTIONS, e.g. --max-old-space-size=1024: the SDK sizes its workflow cache from the heap limit.
const workerNodeOptions = process.env.BENCH_WORKER_NODE_OPTIONS;
// BENCH_MAX_CACHED_WORKFLOWS: the worker's COUNTERSIGN_MAX_CACHED_WORKFLOWS (default: the worker's own).
const maxCached = process.env.BENCH_MAX_CACHED_WORKFLOWS;
// BENCH_WORKER_CPU_PROF_DIR: write the worker's V8 CPU profile there.
const profDir = process.env.BENCH_WORKER_CPU_PROF_DIR;
const workerEnv = {
  ...env,
  ...(workerNodeOptions ? { NODE_OPTIONS: workerNodeOptions } : {}),
  ...(maxCached ? { COUNTERSIGN_MAX_CACHED_WORKFLOWS: maxCached } : {}),
  ...(profDir ? { BENCH_CPU_PROF_DIR: profDir } : {}),
};
const worker = spawnService('worker', workerEnv, path.join(dir, 'worker.log'));
const api = spawnService('api', env, path.join(dir, 'api.log'));
await Promise.all([worker.ready, api.ready]);
const base = `http://127.0.0.1:${apiPort}`;

let peakRss = 0;
const sampler = setInterval(() => {
  void rssBytes(worker.pid).then((b) => {
    if (b !== null && b > peakRss) peakRss = b;
  });
}, 1000);
const mib = (b: number | null): string => (b === null ? '?' : `${(b / 2 ** 20).toFixed(0)} MiB`);

try {
  // 1. Submit N approvals that wait for a person; meanwhile list them every 250 ms.
  const deadlines = new Map<string, number>();
  const listMs: { ms: number; pending: number; submitting: boolean }[] = [];
  let listed = 0;
  const listOnce = async (): Promise<number> => {
    const t = performance.now();
    const res = await callJson(base, 'GET', '/v1/approvals?status=pending&limit=100', TOKEN);
    const took = performance.now() - t;
    if (res.status !== 200) throw new Error(`list answered ${res.status}`);
    listed = (res.body.approvals as unknown[]).length;
    return took;
  };
  let listing = true;
  let listErrors = 0;
  const lister = (async () => {
    while (listing) {
      const pending = deadlines.size;
      try {
        listMs.push({ ms: await listOnce(), pending, submitting: true });
      } catch {
        listErrors++;
      }
      await sleep(250);
    }
  })();
  const t0 = performance.now();
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        for (let attempt = 0; ; attempt++) {
          const res = await callJson(base, 'POST', '/v1/actions', AGENT_KEY, { blueprint: 'pending', action: 'bench.wait', idempotencyKey: `pending-${i}` }).catch(
            (e: unknown) => ({ status: 0, body: String(e) }),
          );
          if ((res.status === 201 || res.status === 200) && typeof res.body?.deadline === 'number') {
            deadlines.set(res.body.id as string, res.body.deadline as number);
            break;
          }
          if (attempt >= 5) {
            failures++;
            break;
          }
          await sleep(500);
        }
        if (i > 0 && i % 1000 === 0) console.error(`[pending] ${i} submitted, ${((performance.now() - t0) / 1000).toFixed(0)} s, worker RSS ${mib(await rssBytes(worker.pid))}`);
      }
    }),
  );
  const submitSeconds = (performance.now() - t0) / 1000;
  const firstDeadline = Math.min(...deadlines.values());
  const lastDeadline = Math.max(...deadlines.values());
  const rssLoaded = await rssBytes(worker.pid);

  // 2. More list calls with everything submitted (those during submission were sampled above).
  listing = false;
  await lister;
  for (let i = 0; i < LIST_SAMPLES && Date.now() < firstDeadline; i++) {
    try {
      listMs.push({ ms: await listOnce(), pending: deadlines.size, submitting: false });
    } catch {
      listErrors++;
    }
  }

  // 3. Let everything expire, then read when each expiry was recorded.
  console.error(`[pending] ${deadlines.size} pending; waiting for the deadlines (${((lastDeadline - Date.now()) / 1000).toFixed(0)} s)`);
  const auditFile = path.join(fixture.dataDir, 'audit.jsonl');
  const lags = new Map<string, number>();
  const giveUp = lastDeadline + 600_000;
  while (lags.size < deadlines.size && Date.now() < giveUp) {
    await sleep(2000);
    const text = await readFile(auditFile, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.includes('"event":"expired"')) continue;
      const r = JSON.parse(line) as { id: string; data: { decidedAt?: number } };
      const deadline = deadlines.get(r.id);
      if (deadline !== undefined && typeof r.data.decidedAt === 'number') lags.set(r.id, r.data.decidedAt - deadline);
    }
  }
  const lagValues = [...lags.values()];
  // Two phases: while the submissions arrive at full speed (the box is saturated), and once all N
  // are pending (timers and reminders running): the target is about the second.
  const whileSubmitting = listMs.filter((l) => l.submitting && l.pending >= N / 2).map((l) => l.ms);
  const allPending = listMs.filter((l) => !l.submitting).map((l) => l.ms);
  const reminders = (await readFile(auditFile, 'utf8')).split('\n').filter((l) => l.includes('"event":"reminded"')).length;

  console.log(
    [
      `bench/pending on ${machine()}; Temporal dev server (SQLite file); ONE worker${workerNodeOptions ? ` (NODE_OPTIONS=${workerNodeOptions})` : ''} and one api as child processes`,
      `approvals: ${deadlines.size} pending (${failures} failed submissions) in ${submitSeconds.toFixed(0)} s (${(deadlines.size / submitSeconds).toFixed(0)}/s); SLA ${SLA_S}s, reminders every ${REMIND_S}s (${reminders} sent)`,
      `worker RSS: ${mib(rssLoaded)} with all pending, peak ${mib(peakRss)} (target ≤ 1024 MiB)`,
      `GET /v1/approvals?status=pending&limit=100 (${listed} rows): all ${deadlines.size} pending p50 ${ms(percentile(allPending, 50))} p95 ${ms(percentile(allPending, 95))} over ${allPending.length} calls (target p95 ≤ 200 ms); ` +
        `while submitting at full speed (≥ ${Math.floor(N / 2)} pending) p50 ${ms(percentile(whileSubmitting, 50))} p95 ${ms(percentile(whileSubmitting, 95))} over ${whileSubmitting.length} calls${listErrors ? `; ${listErrors} calls failed` : ''}`,
      `expiry lag deadline→expired (${lagValues.length}/${deadlines.size} expired; deadlines spread over ${((lastDeadline - firstDeadline) / 1000).toFixed(0)} s): ` +
        `p50 ${ms(percentile(lagValues, 50))} p99 ${ms(percentile(lagValues, 99))} max ${ms(Math.max(...lagValues))} (target ≤ 2000 ms for all)`,
    ].join('\n'),
  );
} finally {
  clearInterval(sampler);
  await Promise.all([worker.stop(), api.stop()]);
  await temporal.stop();
  await rm(dir, { recursive: true, force: true });
}
