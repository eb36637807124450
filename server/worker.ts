/** The worker part of the service: activities wired to the configured channels, then the Temporal worker. */
import { DefaultLogger, NativeConnection, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { channelNames, createChannelRegistry, type Integration } from '../integrations/index.js';
import { missingSigningKey, resolveAuditSigner } from '../infra/audit/signing-key.js';
import { PolicyStore } from '../infra/policies/index.js';
import { signsAudit } from '../triggers/index.js';
import type { ServiceConfig } from '../infra/config/index.js';
import type { Health } from '../infra/health.js';
import { summarizeRepeats } from '../infra/log-summary.js';
import type { Logger } from '../infra/logger.js';
import { activityMetrics, type Metrics } from '../infra/metrics.js';
import {
  connectionSummary,
  createWorker,
  describeTemporalConnection,
  temporalConnectionOptions,
  TemporalServerUnreachableError,
} from '../infra/temporal/index.js';
import type { Shutdown } from './shutdown.js';

export interface ServiceWorkerOptions {
  config: ServiceConfig;
  logger: Logger;
  address: string;
  taskQueue: string;
  metrics: Metrics;
  integrations: readonly Integration[];
  health: Health;
}

/** Starts the worker running; shutdown drains it and closes its connection. */
export async function startServiceWorker(options: ServiceWorkerOptions, shutdown: Shutdown): Promise<Worker> {
  const { config, logger, taskQueue } = options;
  installRuntimeLogger(logger);
  // The same options as the client connection (temporal.ts): TLS, API key, namespace header.
  const connectionOptions = temporalConnectionOptions(config, options.address);
  let native: NativeConnection;
  try {
    native = await NativeConnection.connect(connectionOptions);
  } catch (cause) {
    throw new TemporalServerUnreachableError(
      `worker could not connect to Temporal at ${options.address} (${connectionSummary(connectionOptions)}): ${String(cause)}; check TEMPORAL_ADDRESS, TEMPORAL_TLS* and TEMPORAL_API_KEY`,
      { cause },
    );
  }
  shutdown.push(() => native.close());
  const auditSigner = await resolveAuditSigner({ keyFile: config.auditSigningKeyFile, dataDir: config.dataDir, embedded: !config.temporalAddress, logger });
  if (auditSigner === null) {
    // Fail at start, not at the first signed entry: which loaded blueprints ask for signatures?
    const store = new PolicyStore({ dir: config.policyDir, groups: new Set(Object.keys(config.groups)), channels: channelNames() });
    await store.load();
    const signing = store.list().filter(signsAudit).map((p) => p.blueprint);
    store.close();
    if (signing.length > 0) throw missingSigningKey(signing);
  }
  const secretFor = new Map(config.agents.map((a) => [a.id, a.callbackSecret ?? config.callbackSecret]));
  const activities = createActivities({
    dataDir: config.dataDir,
    channels: createChannelRegistry(options.integrations.flatMap((i) => (i.channel ? [i.channel] : []))),
    callbackSecretFor: (agentId) => secretFor.get(agentId) ?? config.callbackSecret,
    logger: logger.child({ component: 'activities' }),
    metrics: activityMetrics(options.metrics),
    health: options.health,
    auditSigner,
  });
  const w = await createWorker({
    connection: native,
    namespace: config.namespace,
    taskQueue,
    activities,
    ...(config.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: config.maxCachedWorkflows } : {}),
    logger: logger.child({ component: 'workflow-bundler' }),
  });
  const running = w.run();
  running.catch((error: unknown) => logger.fatal({ err: error }, 'worker stopped with an error'));
  shutdown.push(async () => {
    logger.info('draining worker');
    if (w.getState() === 'RUNNING') w.shutdown();
    await running.catch(() => {});
  });
  logger.info({ taskQueue, namespace: config.namespace, maxCachedWorkflows: w.options.maxCachedWorkflows, ...describeTemporalConnection(connectionOptions) }, 'worker running');
  return w;
}

let runtimeInstalled = false;
/** Routes the Temporal SDK's own log lines (warnings and up) into pino, repeats summarised; once per process. */
function installRuntimeLogger(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdk = logger.child({ component: 'temporal-sdk' });
  const method: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
  try {
    // While Temporal is away the SDK warns on every failed poll: one line per kind, then a count.
    const write = summarizeRepeats((level, message, meta) => sdk[method[level as LogLevel]](meta, message));
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => write(entry.level, entry.message, entry.meta ?? {})),
      // Core's own lines (poll and RPC retries) come here too, instead of straight to the console.
      telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } },
    });
  } catch {
    // a Runtime already exists (tests, embedding): keep it
  }
}
