/** The worker part of the service: activities wired to the configured channels, then the Temporal worker. */
import { DefaultLogger, NativeConnection, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { createChannelRegistry, type Integration } from '../../integrations/index.js';
import type { ServiceConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import { activityMetrics, type Metrics } from '../metrics.js';
import { createWorker } from '../worker.js';
import type { Shutdown } from './shutdown.js';

export interface ServiceWorkerOptions {
  config: ServiceConfig;
  logger: Logger;
  address: string;
  taskQueue: string;
  metrics: Metrics;
  integrations: readonly Integration[];
}

/** Starts the worker running; shutdown drains it and closes its connection. */
export async function startServiceWorker(options: ServiceWorkerOptions, shutdown: Shutdown): Promise<Worker> {
  const { config, logger, taskQueue } = options;
  installRuntimeLogger(logger);
  const native = await NativeConnection.connect({ address: options.address });
  shutdown.push(() => native.close());
  const secretFor = new Map(config.agents.map((a) => [a.id, a.callbackSecret ?? config.callbackSecret]));
  const activities = createActivities({
    dataDir: config.dataDir,
    channels: createChannelRegistry(options.integrations.flatMap((i) => (i.channel ? [i.channel] : []))),
    callbackSecretFor: (agentId) => secretFor.get(agentId) ?? config.callbackSecret,
    logger: logger.child({ component: 'activities' }),
    metrics: activityMetrics(options.metrics),
  });
  const w = await createWorker({ connection: native, namespace: config.namespace, taskQueue, activities });
  const running = w.run();
  running.catch((error: unknown) => logger.fatal({ err: error }, 'worker stopped with an error'));
  shutdown.push(async () => {
    logger.info('draining worker');
    if (w.getState() === 'RUNNING') w.shutdown();
    await running.catch(() => {});
  });
  logger.info({ taskQueue, namespace: config.namespace }, 'worker running');
  return w;
}

let runtimeInstalled = false;
/** Routes the Temporal SDK's own log lines (warnings and up) into pino; once per process. */
function installRuntimeLogger(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdk = logger.child({ component: 'temporal-sdk' });
  const method: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
  try {
    Runtime.install({ logger: new DefaultLogger('WARN', (entry) => sdk[method[entry.level]](entry.meta ?? {}, entry.message)) });
  } catch {
    // a Runtime already exists (tests, embedding): keep it
  }
}
