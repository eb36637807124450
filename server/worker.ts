/**
 * The Temporal worker that runs approval workflows and their activities. `countersign start` and
 * `countersign worker` call {@link createWorker}, then `worker.run()`.
 *
 * ```ts
 * const activities = createActivities({ dataDir, channels: createChannelRegistry(), callbackSecretFor, logger, metrics });
 * const worker = await createWorker({ connection: await NativeConnection.connect({ address }), namespace, taskQueue: DEFAULT_TASK_QUEUE, activities });
 * await worker.run();
 * ```
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { ApprovalActivities } from '../activities/types.js';
import { getWorkflowBundle, resolveWorkflowsPath } from './temporal/bundle.js';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** `createActivities(deps)`. */
  activities: ApprovalActivities;
  /** Absolute path of the workflows module; defaults to this package's `workflows/index`. */
  workflowsPath?: string;
  /** Other Worker.create options (concurrency limits, shutdown grace time, …). */
  extra?: Partial<WorkerOptions>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const workflowBundle = await getWorkflowBundle(options.workflowsPath ?? resolveWorkflowsPath());
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities as unknown as WorkerOptions['activities'],
    workflowBundle,
    // Let in-flight activities (an audit append, a callback POST) finish when the worker stops.
    shutdownGraceTime: '10 seconds',
    ...options.extra,
  });
}
