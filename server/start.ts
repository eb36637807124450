/**
 * Assembling the running service: Temporal (embedded dev server or TEMPORAL_ADDRESS), the worker,
 * the policy store and the HTTP API, in any combination (`countersign start` runs all three,
 * `countersign worker` and `countersign api` one each). `close()` shuts down in reverse order:
 * stop accepting HTTP, drain the worker, stop the dev server.
 */
import { mkdir } from 'node:fs/promises';
import type { Worker } from '@temporalio/worker';
import { auditFilePath } from '../activities/index.js';
import { DEFAULT_TASK_QUEUE } from '../core/index.js';
import { channelNames } from '../integrations/index.js';
import { Health } from '../infra/health.js';
import { createMetrics } from '../infra/metrics.js';
import { TemporalMonitor } from '../infra/temporal/index.js';
import { startServiceApi } from './api.js';
import { serviceIntegrations } from './integrations.js';
import { Shutdown } from './shutdown.js';
import { connectTemporal } from './temporal.js';
import type { RunningService, ServiceOptions } from './types.js';
import { startServiceWorker } from './worker.js';

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const metrics = options.metrics ?? createMetrics();
  const say = options.onProgress ?? ((line: string) => logger.info(line));
  const shutdown = new Shutdown(logger);
  const close = (): Promise<void> => shutdown.close();

  try {
    await mkdir(config.dataDir, { recursive: true });
    const { address, client, probe, devServer, reachable } = await connectTemporal({ ...options, metrics }, say, shutdown);
    const health = new Health();
    const monitor = new TemporalMonitor({
      client: probe,
      health,
      gauge: (up) => metrics.temporalUp.set(up),
      // The supervisor already says what happened to an embedded server; a remote one is only seen from here.
      onChange: devServer
        ? undefined
        : (up, { reason, downMs }) =>
            up
              ? logger.info({ temporalAddress: address, downMs }, `Temporal at ${address} reachable again after ${((downMs ?? 0) / 1000).toFixed(1)} s`)
              : logger.error({ temporalAddress: address, reason }, `Temporal at ${address} lost (${reason}): answering 503 until it is back`),
    });
    reachable.set(() => monitor.up());
    monitor.start();
    shutdown.push(async () => monitor.stop());
    const integrations = await serviceIntegrations(options, shutdown);

    let worker: Worker | null = null;
    if (options.worker ?? true) {
      worker = await startServiceWorker({ config, logger, address, taskQueue, metrics, integrations, health }, shutdown);
    }

    let api: Pick<RunningService, 'policies' | 'app' | 'url'> = { policies: null, app: null, url: null };
    if (options.api ?? true) {
      api = await startServiceApi(
        { config, logger, client, taskQueue, metrics, integrations, channels: channelNames(options.channels), now: options.now, health, reachability: monitor, auditFile: worker ? auditFilePath(config.dataDir) : null },
        shutdown,
      );
    }

    const { url, policies, app } = api;
    const failed: Promise<Error> = devServer?.failed ?? new Promise<never>(() => {});
    return { url, temporalAddress: address, namespace: config.namespace, taskQueue, client, policies, app, worker, metrics, health, devServer, failed, close };
  } catch (error) {
    await close();
    throw error;
  }
}
