/**
 * Countersign as a {@link PendingTarget}: `countersign worker` and `countersign api` as child
 * processes; approvals submitted and listed over HTTP, expiries read from the audit log (`expired`
 * records carry the workflow clock's `decidedAt`).
 */
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { callJson } from '../lib/http.js';
import { serviceEnv, spawnService, writeServiceFixture } from '../lib/service.js';
import type { PendingTarget } from './target.js';

const AGENT_KEY = 'bench-agent-key-pending-00001';
const TOKEN = 'bench-approver-token-ann-0001';
const CONFIG = `agents:
  - { id: bench-agent, tenant: bench, blueprints: [pending], apiKey: ${AGENT_KEY} }
approvers:
  - { id: ann, name: Ann, tenants: [bench], token: ${TOKEN} }
  - { id: ben, name: Ben, tenants: [bench], token: bench-approver-token-ben-0001 }
groups:
  reviewers: [ann, ben]
`;
const policy = (slaSeconds: number, remindEverySeconds: number): string => `blueprint: pending
security:
  permissions:
    execute:
      - action: bench.wait
        approval: reviewers
        sla: ${slaSeconds}s
        remindEvery: ${remindEverySeconds}s
`;

export interface CountersignTargetOptions {
  dir: string;
  temporalAddress: string;
  apiPort: number;
  /** Added to the worker's environment (NODE_OPTIONS, COUNTERSIGN_MAX_CACHED_WORKFLOWS, BENCH_CPU_PROF_DIR). */
  workerEnv: Record<string, string>;
  slaSeconds: number;
  remindEverySeconds: number;
}

export async function startCountersignTarget(options: CountersignTargetOptions): Promise<PendingTarget> {
  const fixture = await writeServiceFixture(options.dir, CONFIG, { 'pending.yaml': policy(options.slaSeconds, options.remindEverySeconds) });
  const env = serviceEnv(fixture, { temporalAddress: options.temporalAddress, port: options.apiPort, logLevel: 'error' });
  const worker = spawnService('worker', { ...env, ...options.workerEnv }, path.join(options.dir, 'worker.log'));
  const api = spawnService('api', env, path.join(options.dir, 'api.log'));
  await Promise.all([worker.ready, api.ready]);
  const base = `http://127.0.0.1:${options.apiPort}`;
  const auditFile = path.join(fixture.dataDir, 'audit.jsonl');
  const auditLines = async (event: string): Promise<string[]> =>
    (await readFile(auditFile, 'utf8').catch(() => '')).split('\n').filter((line) => line.includes(`"event":"${event}"`));
  const expiredSoFar = expiredCounter(auditFile);
  return {
    name: 'Countersign',
    workerPid: worker.pid,
    async submit(i) {
      const res = await callJson(base, 'POST', '/v1/actions', AGENT_KEY, { blueprint: 'pending', action: 'bench.wait', idempotencyKey: `pending-${i}` });
      if ((res.status !== 201 && res.status !== 200) || typeof res.body?.deadline !== 'number') throw new Error(`POST /v1/actions answered ${res.status}`);
      return { id: res.body.id as string, deadline: res.body.deadline as number };
    },
    async listPending() {
      const res = await callJson(base, 'GET', '/v1/approvals?status=pending&limit=100', TOKEN);
      if (res.status !== 200) throw new Error(`GET /v1/approvals answered ${res.status}`);
      return (res.body.approvals as unknown[]).length;
    },
    expiredCount: expiredSoFar,
    async expiredAt(deadlines) {
      const at = new Map<string, number>();
      for (const line of await auditLines('expired')) {
        const r = JSON.parse(line) as { id: string; data: { decidedAt?: number } };
        if (deadlines.has(r.id) && typeof r.data.decidedAt === 'number') at.set(r.id, r.data.decidedAt);
      }
      return at;
    },
    reminders: async () => (await auditLines('reminded')).length,
    async stop() {
      await Promise.all([worker.stop(), api.stop()]);
    },
  };
}

/** Counts `expired` records, reading only what was appended since the last call (the log grows to tens of MB). */
function expiredCounter(auditFile: string): () => Promise<number> {
  let offset = 0;
  let partial = '';
  let count = 0;
  return async () => {
    const handle = await open(auditFile, 'r').catch(() => null);
    if (!handle) return count;
    try {
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(size - offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      offset += bytesRead;
      const lines = (partial + buffer.toString('utf8', 0, bytesRead)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.includes('"event":"expired"')) count++;
      return count;
    } finally {
      await handle.close();
    }
  };
}
