/**
 * Helpers for test files that talk to the dev server started by test/support/global-setup.ts.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import { getWorkflowBundle } from '../../infra/temporal/index.js';

/** `host:port` of the shared test server. */
export function temporalAddress(): string {
  return inject('temporalAddress');
}

export function temporalNamespace(): string {
  return inject('temporalNamespace');
}

/** A connected client; call `close()` in afterAll. */
export async function connectClient(options: { address?: string; namespace?: string } = {}): Promise<{ client: Client; connection: Connection; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: options.address ?? temporalAddress() });
  const client = new Client({ connection, namespace: options.namespace ?? temporalNamespace() });
  return { client, connection, close: () => connection.close() };
}

/** A task queue no other test uses. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

let runtimeQuiet = false;
function quietRuntime(): void {
  if (runtimeQuiet) return;
  runtimeQuiet = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by an earlier test file in this process
  }
}

export interface TestWorkerOptions {
  taskQueue: string;
  /** Absolute path of the workflows module (e.g. `resolveWorkflowsPath()`); bundled once per process. */
  workflowsPath?: string;
  activities?: WorkerOptions['activities'];
  /** Defaults to the shared test server. */
  address?: string;
  namespace?: string;
  /** Other `Worker.create` options. */
  extra?: Partial<WorkerOptions>;
}

export interface TestWorker {
  worker: Worker;
  connection: NativeConnection;
  /** Runs the worker until `fn` settles (Worker.runUntil). */
  runUntil<R>(fn: Promise<R> | (() => Promise<R>)): Promise<R>;
  /** Runs the worker in the background until `close()`. */
  start(): void;
  /** Stops the worker if running and closes its connection. */
  close(): Promise<void>;
}

/** A Worker on a NativeConnection to the test server, with the workflow bundle cached per path. */
export async function createTestWorker(options: TestWorkerOptions): Promise<TestWorker> {
  quietRuntime();
  const connection = await NativeConnection.connect({ address: options.address ?? temporalAddress() });
  const bundle = options.workflowsPath ? { workflowBundle: await getWorkflowBundle(options.workflowsPath, new DefaultLogger('WARN')) } : {};
  const worker = await Worker.create({
    connection,
    namespace: options.namespace ?? temporalNamespace(),
    taskQueue: options.taskQueue,
    ...(options.activities ? { activities: options.activities } : {}),
    ...bundle,
    ...options.extra,
  });
  let running: Promise<void> | undefined;
  return {
    worker,
    connection,
    runUntil: (fn) => worker.runUntil(fn),
    start() {
      running ??= worker.run();
    },
    async close() {
      if (running) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      } else if (worker.getState() === 'INITIALIZED') {
        await worker.runUntil(Promise.resolve());
      }
      await connection.close();
    },
  };
}
