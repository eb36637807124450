/**
 * The bare-Temporal peer's worker for bench/pending, run as its own process (so its RSS is its
 * own): only {@link floorPendingWorkflow}, no activities, the same workflow cache bound as a
 * Countersign worker under the same NODE_OPTIONS (or COUNTERSIGN_MAX_CACHED_WORKFLOWS).
 *
 *   TEMPORAL_ADDRESS=… node --import tsx bench/pending/floor-worker.ts <task queue>
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { getWorkflowBundle } from '../../infra/temporal/index.js';
import { defaultMaxCachedWorkflows } from '../../infra/temporal/worker.js';

const taskQueue = process.argv[2] ?? 'bench-pending-floor';
Runtime.install({ logger: new DefaultLogger('WARN') });
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
const cached = process.env.COUNTERSIGN_MAX_CACHED_WORKFLOWS;
const worker = await Worker.create({
  connection,
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue,
  workflowBundle: await getWorkflowBundle(fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)), new DefaultLogger('WARN')),
  maxCachedWorkflows: cached ? Number(cached) : defaultMaxCachedWorkflows(),
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => worker.shutdown());
const running = worker.run();
console.log(`floor worker ready on ${taskQueue}`);
await running;
await connection.close();
