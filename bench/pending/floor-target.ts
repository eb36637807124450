/**
 * The bare-Temporal peer as a {@link PendingTarget}: workflows started from this process with the
 * Temporal client, waited on by a worker process running only {@link floorPendingWorkflow}, listed
 * with the same visibility query the API makes (minus HTTP, auth and mapping).
 */
import { Client, Connection } from '@temporalio/client';
import { SearchAttribute, quote } from '../../core/index.js';
import { spawnScript } from '../lib/service.js';
import type { FloorPendingInput } from './floor-workflow.js';
import type { PendingTarget } from './target.js';

const TASK_QUEUE = 'bench-pending-floor';
const WORKFLOW_TYPE = 'floorPendingWorkflow';
const WORKER_SCRIPT = 'bench/pending/floor-worker.ts';

export interface FloorTargetOptions {
  temporalAddress: string;
  workerEnv: Record<string, string>;
  logFile: string;
  slaSeconds: number;
  remindEverySeconds: number;
}

export async function startFloorTarget(options: FloorTargetOptions): Promise<PendingTarget> {
  const worker = spawnScript('floor-worker', [WORKER_SCRIPT, TASK_QUEUE], options.workerEnv, options.logFile);
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  await worker.ready;
  const byStatus = (status: string): string => `WorkflowType = ${quote(WORKFLOW_TYPE)} AND ${SearchAttribute.Status} = ${quote(status)}`;
  return {
    name: 'bare Temporal',
    workerPid: worker.pid,
    async submit(i) {
      const input: FloorPendingInput = { start: Date.now(), slaSeconds: options.slaSeconds, remindEverySeconds: options.remindEverySeconds };
      const handle = await client.workflow.start(WORKFLOW_TYPE, { taskQueue: TASK_QUEUE, workflowId: `floor-${i}`, args: [input] });
      return { id: handle.workflowId, deadline: input.start + options.slaSeconds * 1000 };
    },
    async listPending() {
      let rows = 0;
      for await (const _ of client.workflow.list({ query: byStatus('pending'), pageSize: 100 })) if (++rows >= 100) break;
      return rows;
    },
    expiredCount: async () => (await client.workflow.count(byStatus('expired'))).count,
    async expiredAt() {
      const at = new Map<string, number>();
      for await (const info of client.workflow.list({ query: byStatus('expired'), pageSize: 1000 })) {
        const expiredAt = info.memo?.expiredAt;
        if (typeof expiredAt === 'number') at.set(info.workflowId, expiredAt);
      }
      return at;
    },
    reminders: async () => null,
    async stop() {
      await worker.stop();
      await connection.close();
    },
  };
}
