/**
 * Pending-load benchmark: BENCH_PENDING (default 10,000) approvals waiting on ONE worker, each with
 * an SLA timer and reminders, then all expiring; beside its bare-Temporal peer measured the same way
 * in the same run (a workflow with the same timers that does nothing when they fire, see
 * floor-workflow.ts), each on a fresh dev server.
 *
 *   - worker RSS (the worker process's VmRSS, sampled every second; peak and with all N pending)
 *     — target ≤ 1 GB;
 *   - `GET /v1/approvals?status=pending&limit=100` latency, p50/p95, once all N are pending (reminder
 *     waves running) — target p95 ≤ 200 ms — and, printed beside it, while the submissions arrive at
 *     full speed; the peer makes the API's visibility query with the Temporal client;
 *   - expiry lag: for every approval, when its workflow recorded `expired` (the workflow clock)
 *     minus its deadline; p50, p99 and max — target ≤ 2 s for all. Deadlines are spread exactly like
 *     submissions were (SLA after each start), so the expiry wave runs at the submission rate.
 *
 *   node --import tsx bench/pending/run.ts
 *   (BENCH_PENDING, BENCH_SLA_S, BENCH_CONCURRENCY; BENCH_PENDING_PHASES=floor,countersign;
 *    BENCH_WORKER_NODE_OPTIONS, BENCH_MAX_CACHED_WORKFLOWS and BENCH_WORKER_CPU_PROF_DIR for both workers)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../infra/temporal/index.js';
import { baseEnv } from '../lib/service.js';
import { machine } from '../lib/stats.js';
import { benchDevServer } from '../lib/temporal.js';
import { startCountersignTarget } from './countersign-target.js';
import { startFloorTarget } from './floor-target.js';
import { measurePending, type PendingFigures } from './measure.js';
import { report } from './report.js';
import type { PendingTarget } from './target.js';

const N = Number(process.env.BENCH_PENDING ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** Long enough for every submission to land before the first deadline (assumes ≥ 10 submissions/s). */
const SLA_S = Number(process.env.BENCH_SLA_S ?? Math.max(300, Math.ceil(N / 10) + 120));
const REMIND_S = Math.max(10, Math.floor(SLA_S / 4));
const PHASES = (process.env.BENCH_PENDING_PHASES ?? 'floor,countersign').split(',').map((p) => p.trim());

// The same worker settings for Countersign and its peer.
const workerEnv: Record<string, string> = {
  ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
  ...(process.env.BENCH_MAX_CACHED_WORKFLOWS ? { COUNTERSIGN_MAX_CACHED_WORKFLOWS: process.env.BENCH_MAX_CACHED_WORKFLOWS } : {}),
  ...(process.env.BENCH_WORKER_CPU_PROF_DIR ? { BENCH_CPU_PROF_DIR: process.env.BENCH_WORKER_CPU_PROF_DIR } : {}),
};

/** One phase on its own dev server and directory, so neither inherits the other's history. */
async function phase(name: string, start: (dir: string, temporalAddress: string) => Promise<PendingTarget>): Promise<PendingFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), `countersign-bench-pending-${name}-`));
  const temporal = await benchDevServer(path.join(dir, 'temporal.db'));
  try {
    const target = await start(dir, temporal.address);
    try {
      return await measurePending(target, N, CONCURRENCY, (line) => console.error(line));
    } finally {
      await target.stop();
    }
  } finally {
    await temporal.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const figures: { floor?: PendingFigures; countersign?: PendingFigures } = {};
const schedule = { slaSeconds: SLA_S, remindEverySeconds: REMIND_S };
if (PHASES.includes('floor')) {
  figures.floor = await phase('floor', (dir, temporalAddress) =>
    startFloorTarget({ ...schedule, temporalAddress, logFile: path.join(dir, 'floor-worker.log'), workerEnv: { ...baseEnv(), ...workerEnv, TEMPORAL_ADDRESS: temporalAddress } }),
  );
}
if (PHASES.includes('countersign')) {
  figures.countersign = await phase('countersign', async (dir, temporalAddress) =>
    startCountersignTarget({ ...schedule, dir, temporalAddress, apiPort: await freePort(), workerEnv }),
  );
}
console.log(
  report(figures, {
    header: `bench/pending on ${machine()}; Temporal dev server (SQLite file), a fresh one per phase; ONE worker process${workerEnv.NODE_OPTIONS ? ` (NODE_OPTIONS=${workerEnv.NODE_OPTIONS})` : ''}`,
    n: N,
    slaSeconds: SLA_S,
    remindEverySeconds: REMIND_S,
  }),
);
