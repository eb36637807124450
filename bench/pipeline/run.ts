/**
 * Pipeline benchmark: auto-approved submissions through the real service (`countersign api` and
 * `countersign worker` as child processes) beside a bare-Temporal floor on the SAME dev server in
 * the SAME run: start a trivial workflow and await its result, from this process, with a worker in
 * this process.
 *
 *   Countersign: POST /v1/actions → policy decide → start approvalWorkflow → the answer already
 *                carries the terminal verdict (`approved`) the client acts on.
 *   Floor:       client.workflow.execute(floorWorkflow) → its result.
 *
 * Latency: one request in flight, floor and Countersign interleaved in blocks; p50/p99.
 * Throughput: closed loop with CONCURRENCY requests in flight for WINDOW_MS, alternating twice;
 * Countersign's figure counts verdicts answered in the window, and a second figure also waits
 * until every approval workflow of the window has completed (audit written), the sustainable rate.
 * Targets: p50 ≤ 1.3× floor, throughput ≥ 70 % of floor. Nothing is asserted.
 *
 *   node --import tsx bench/pipeline/run.ts      (BENCH_SAMPLES, BENCH_CONCURRENCY, BENCH_WINDOW_MS)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { freePort, getWorkflowBundle } from '../../infra/temporal/index.js';
import { callJson } from '../lib/http.js';
import { serviceEnv, spawnService, writeServiceFixture } from '../lib/service.js';
import { machine, ms, percentile, sleep } from '../lib/stats.js';
import { benchDevServer } from '../lib/temporal.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10_000);
const BLOCK = 25;
const AGENT_KEY = 'bench-agent-key-pipeline-0001';

const CONFIG = `agents:
  - { id: bench-agent, tenant: bench, blueprints: [bench], apiKey: ${AGENT_KEY} }
approvers:
  - { id: ann, name: Ann, tenants: [bench], token: bench-approver-token-ann-001 }
groups:
  reviewers: [ann]
`;
const POLICY = `blueprint: bench
security:
  permissions:
    execute:
      - action: bench.run
        approval: auto
`;

Runtime.install({ logger: new DefaultLogger('WARN') });
const dir = await mkdtemp(path.join(tmpdir(), 'countersign-bench-pipeline-'));
const temporal = await benchDevServer(path.join(dir, 'temporal.db'));
const fixture = await writeServiceFixture(dir, CONFIG, { 'bench.yaml': POLICY });
const apiPort = await freePort();
const env = serviceEnv(fixture, { temporalAddress: temporal.address, port: apiPort, logLevel: 'error' });
const worker = spawnService('worker', env, path.join(dir, 'worker.log'));
const api = spawnService('api', env, path.join(dir, 'api.log'));

const connection = await Connection.connect({ address: temporal.address });
const client = new Client({ connection, namespace: 'default' });
const native = await NativeConnection.connect({ address: temporal.address });
const floorWorker = await Worker.create({
  connection: native,
  namespace: 'default',
  taskQueue: 'bench-floor',
  workflowBundle: await getWorkflowBundle(fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)), new DefaultLogger('WARN')),
});
const floorRunning = floorWorker.run();
await Promise.all([worker.ready, api.ready]);
const base = `http://127.0.0.1:${apiPort}`;

let seq = 0;
async function countersignOnce(): Promise<void> {
  const key = `bench-${process.pid}-${seq++}`;
  const res = await callJson(base, 'POST', '/v1/actions', AGENT_KEY, { blueprint: 'bench', action: 'bench.run', idempotencyKey: key });
  if (res.status !== 201 || res.body?.status !== 'approved') throw new Error(`unexpected answer ${res.status} ${JSON.stringify(res.body)}`);
}
async function floorOnce(): Promise<void> {
  const id = `floor-${process.pid}-${seq++}`;
  const out = await client.workflow.execute('floorWorkflow', { taskQueue: 'bench-floor', workflowId: id, args: [{ id }] });
  if ((out as { status?: string }).status !== 'approved') throw new Error('floor workflow answered wrongly');
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function closedLoop(fn: () => Promise<void>, windowMs: number): Promise<{ done: number; seconds: number }> {
  const end = performance.now() + windowMs;
  const start = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await fn();
        done++;
      }
    }),
  );
  return { done, seconds: (performance.now() - start) / 1000 };
}

async function runningApprovals(): Promise<number> {
  return (await client.workflow.count(`WorkflowType = "approvalWorkflow" AND ExecutionStatus = "Running"`)).count;
}

async function drain(): Promise<void> {
  while ((await runningApprovals()) > 0) await sleep(100);
}

try {
  // Warm-up: JIT, connections, workflow caches on both paths.
  for (let i = 0; i < 40; i++) {
    await countersignOnce();
    await floorOnce();
  }
  await drain();

  const lat = { floor: [] as number[], countersign: [] as number[] };
  for (let done = 0; done < SAMPLES; done += BLOCK) {
    for (let i = 0; i < BLOCK; i++) lat.floor.push(await timed(floorOnce));
    for (let i = 0; i < BLOCK; i++) lat.countersign.push(await timed(countersignOnce));
  }
  await drain();

  const tput = { floor: 0, countersign: 0, sustained: 0 };
  for (let round = 0; round < 2; round++) {
    const f = await closedLoop(floorOnce, WINDOW_MS);
    tput.floor += f.done / f.seconds / 2;
    const t0 = performance.now();
    const c = await closedLoop(countersignOnce, WINDOW_MS);
    tput.countersign += c.done / c.seconds / 2;
    await drain();
    tput.sustained += c.done / ((performance.now() - t0) / 1000) / 2;
  }

  const p = (xs: number[], q: number) => percentile(xs, q);
  const lines = [
    `bench/pipeline on ${machine()}; Temporal dev server ${temporal.address} (SQLite file), api+worker as child processes`,
    `latency (1 in flight, ${lat.floor.length} each): floor p50 ${ms(p(lat.floor, 50))} p99 ${ms(p(lat.floor, 99))}; countersign p50 ${ms(p(lat.countersign, 50))} p99 ${ms(p(lat.countersign, 99))}`,
    `throughput (${CONCURRENCY} in flight, 2×${WINDOW_MS / 1000}s): floor ${tput.floor.toFixed(1)}/s; countersign verdicts ${tput.countersign.toFixed(1)}/s, workflows completed incl. drain ${tput.sustained.toFixed(1)}/s`,
    `ratio p50 latency countersign/floor: ${(p(lat.countersign, 50) / p(lat.floor, 50)).toFixed(2)}× (target ≤ 1.30×)`,
    `ratio p99 latency countersign/floor: ${(p(lat.countersign, 99) / p(lat.floor, 99)).toFixed(2)}×`,
    `ratio throughput countersign/floor: ${((100 * tput.countersign) / tput.floor).toFixed(0)} % verdicts, ${((100 * tput.sustained) / tput.floor).toFixed(0)} % completed (target ≥ 70 %)`,
  ];
  console.log(lines.join('\n'));
} finally {
  floorWorker.shutdown();
  await floorRunning.catch(() => {});
  await native.close();
  await connection.close();
  await Promise.all([worker.stop(), api.stop()]);
  await temporal.stop();
  await rm(dir, { recursive: true, force: true });
}
