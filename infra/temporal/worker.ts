/**
 * Creating the Temporal worker that runs the workflows and their activities, with a bounded
 * workflow cache and the bundle built once per process. `countersign start` and `countersign
 * worker` call {@link createWorker} (server/worker.ts), then `worker.run()`.
 *
 * ```ts
 * const activities = createActivities({ dataDir, channels: createChannelRegistry(), callbackSecretFor, logger, metrics });
 * const worker = await createWorker({ connection: await NativeConnection.connect(temporalConnectionOptions(config, address)), namespace, taskQueue: DEFAULT_TASK_QUEUE, activities, logger });
 * await worker.run();
 * ```
 */
import v8 from 'node:v8';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { bundlerLogger, getWorkflowBundle, resolveWorkflowsPath, type LevelLogger } from './bundle.js';

/** Default upper bound of the workflow cache (COUNTERSIGN_MAX_CACHED_WORKFLOWS unset). */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 1000;

/**
 * min(1000, the SDK's own heap-derived default): a worker with many pending approvals keeps at most
 * 1000 in memory, and a worker on a small heap (`--max-old-space-size=512`) keeps the SDK's smaller
 * bound (≈200) instead of running out of memory. Evicted workflows replay from history when they wake.
 */
export function defaultMaxCachedWorkflows(heapLimitBytes = v8.getHeapStatistics().heap_size_limit): number {
  // Same formula as @temporalio/worker 1.24 (reuseV8Context, its default).
  const heapMiB = heapLimitBytes / (1024 * 1024);
  const sdkDefault = Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
  return Math.min(DEFAULT_MAX_CACHED_WORKFLOWS, sdkDefault);
}

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The activities the workflows call (`createActivities(deps)`). */
  activities: object;
  /** Absolute path of the workflows module; defaults to this package's `workflows/index`. */
  workflowsPath?: string;
  /** Workflow cache bound (COUNTERSIGN_MAX_CACHED_WORKFLOWS); default {@link defaultMaxCachedWorkflows}. */
  maxCachedWorkflows?: number;
  /** Where the bundler's webpack output goes (at debug); default: the SDK's logger on stderr. */
  logger?: LevelLogger;
  /** Other Worker.create options (concurrency limits, shutdown grace time, …). */
  extra?: Partial<WorkerOptions>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const workflowBundle = await getWorkflowBundle(
    options.workflowsPath ?? resolveWorkflowsPath(),
    options.logger ? bundlerLogger(options.logger) : undefined,
  );
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities as unknown as WorkerOptions['activities'],
    workflowBundle,
    // Let in-flight activities (an audit append, a callback POST) finish when the worker stops.
    shutdownGraceTime: '10 seconds',
    // Bounded memory with many pending approvals: beyond this, idle workflows are evicted and replayed on wake.
    maxCachedWorkflows: options.maxCachedWorkflows ?? defaultMaxCachedWorkflows(),
    ...options.extra,
  });
}
