/**
 * Assembling the running service: Temporal (embedded dev server or TEMPORAL_ADDRESS), the worker,
 * the policy store and the HTTP API, in any combination (`countersign start` runs all three,
 * `countersign worker` and `countersign api` one each). `close()` shuts down in reverse order:
 * stop accepting HTTP, drain the worker, stop the dev server.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import { buildApp, createDecider, type App } from '../api/index.js';
import { createActivities } from '../activities/index.js';
import { createChannelRegistry, loadIntegrations, type Integration } from '../integrations/index.js';
import { DEFAULT_TASK_QUEUE, SEARCH_ATTRIBUTE_TYPES } from '../workflows/contract.js';
import type { ServiceConfig } from './config/index.js';
import type { Logger } from './logger.js';
import { activityMetrics, createMetrics, type Metrics } from './metrics.js';
import { PolicyStore } from './policies/index.js';
import { ensureSearchAttributes, ensureTemporalCli, startDevServer, type DevServer } from './temporal/index.js';
import { createWorker } from './worker.js';

/** Port of the embedded dev server when none is given (Temporal's usual port). */
export const DEFAULT_TEMPORAL_PORT = 7233;

export interface ServiceOptions {
  config: ServiceConfig;
  logger: Logger;
  /** Which parts run in this process (default: all). */
  worker?: boolean;
  api?: boolean;
  /**
   * Start an embedded `temporal server start-dev` on `<dataDir>/temporal.db` when
   * `config.temporalAddress` is unset (default true for `start`; `worker`/`api` pass false and then
   * connect to 127.0.0.1:7233).
   */
  embedded?: boolean;
  /** Embedded dev server gRPC port (default 7233; 0 = a free port). */
  temporalPort?: number;
  /** Embedded dev server UI port (default: headless). */
  temporalUiPort?: number;
  /** Where the Temporal CLI is looked for / installed (`<cwd>/.tools`); default process.cwd(). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Progress lines (Temporal CLI install, startup). */
  onProgress?: (line: string) => void;
  taskQueue?: string;
  /** Policy clock (epoch ms); tests pin it. */
  now?: () => number;
  metrics?: Metrics;
  /** Vendor integrations; default: every integration whose environment variables are set. */
  integrations?: Integration[];
}

export interface RunningService {
  /** `http://host:port` of the API, or null when it does not run here. */
  url: string | null;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  client: Client;
  policies: PolicyStore | null;
  app: App | null;
  worker: Worker | null;
  metrics: Metrics;
  /** Graceful shutdown; idempotent. */
  close(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const runWorker = options.worker ?? true;
  const runApi = options.api ?? true;
  const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
  const metrics = options.metrics ?? createMetrics();
  const say = options.onProgress ?? ((line: string) => logger.info(line));
  const cleanups: (() => Promise<void>)[] = [];
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (error) {
          logger.error({ err: error }, 'error during shutdown');
        }
      }
    })();
    return closed;
  };

  try {
    await mkdir(config.dataDir, { recursive: true });

    // 1. Temporal.
    let address = config.temporalAddress;
    let devServer: DevServer | null = null;
    if (!address && (options.embedded ?? true)) {
      const cliPath = await ensureTemporalCli({ cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env, onProgress: say });
      const dbFile = path.join(config.dataDir, 'temporal.db');
      say(`starting Temporal dev server (state in ${dbFile})`);
      devServer = await startDevServer({
        cliPath,
        dbFile,
        port: options.temporalPort === 0 ? undefined : (options.temporalPort ?? DEFAULT_TEMPORAL_PORT),
        ...(options.temporalUiPort ? { uiPort: options.temporalUiPort } : {}),
        namespace: config.namespace,
        searchAttributes: SEARCH_ATTRIBUTE_TYPES,
        log: (line) => logger.debug({ temporal: true }, line),
      });
      const server = devServer;
      cleanups.push(async () => {
        logger.info('stopping Temporal dev server');
        await server.stop();
      });
      address = devServer.address;
      logger.info({ temporalAddress: address }, 'Temporal dev server ready');
    }
    address ??= `127.0.0.1:${DEFAULT_TEMPORAL_PORT}`;

    const connection = await Connection.connect({ address });
    cleanups.push(() => connection.close());
    if (!devServer) await ensureSearchAttributes(connection, config.namespace, SEARCH_ATTRIBUTE_TYPES);
    const client = new Client({ connection, namespace: config.namespace });
    const integrations =
      options.integrations ??
      loadIntegrations({
        env: options.env ?? process.env,
        approvers: config.approvers,
        groups: config.groups,
        logger: logger.child({ component: 'integrations' }),
        dataDir: config.dataDir,
        publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
      });
    cleanups.push(async () => {
      for (const i of integrations) await i.close?.();
    });
    if (integrations.length > 0) logger.info({ integrations: integrations.map((i) => i.name) }, 'approver channels configured');

    // 2. Worker.
    let worker: Worker | null = null;
    if (runWorker) {
      installRuntimeLogger(logger);
      const native = await NativeConnection.connect({ address });
      cleanups.push(() => native.close());
      const secretFor = new Map(config.agents.map((a) => [a.id, a.callbackSecret ?? config.callbackSecret]));
      const activities = createActivities({
        dataDir: config.dataDir,
        channels: createChannelRegistry(integrations.flatMap((i) => (i.channel ? [i.channel] : []))),
        callbackSecretFor: (agentId) => secretFor.get(agentId) ?? config.callbackSecret,
        logger: logger.child({ component: 'activities' }),
        metrics: activityMetrics(metrics),
      });
      const w = await createWorker({ connection: native, namespace: config.namespace, taskQueue, activities });
      worker = w;
      const running = w.run();
      running.catch((error: unknown) => logger.fatal({ err: error }, 'worker stopped with an error'));
      cleanups.push(async () => {
        logger.info('draining worker');
        if (w.getState() === 'RUNNING') w.shutdown();
        await running.catch(() => {});
      });
      logger.info({ taskQueue, namespace: config.namespace }, 'worker running');
    }

    // 3. Policies + API.
    let policies: PolicyStore | null = null;
    let app: App | null = null;
    let url: string | null = null;
    if (runApi) {
      const store = new PolicyStore({ dir: config.policyDir, groups: new Set(Object.keys(config.groups)), logger });
      policies = store;
      await store.start();
      cleanups.push(async () => store.close());
      if (store.list().length === 0) {
        logger.warn({ policyDir: config.policyDir }, 'no policy loaded: every submission answers 400 until one loads (/readyz reports 503)');
      }
      app = buildApp({
        client,
        taskQueue,
        policies: store,
        agents: config.agents,
        approvers: config.approvers,
        groups: config.groups,
        metrics,
        logger,
        ...(options.now ? { now: options.now } : {}),
      });
      const decider = createDecider(client);
      for (const i of integrations) await i.routes?.(app.fastify, decider);
      const built = app;
      const actions = app.actions;
      metrics.setPendingCounter(() => client.withDeadline(Date.now() + 2000, () => actions.countPending()));
      url = await app.fastify.listen({ host: config.host, port: config.port });
      cleanups.push(async () => {
        logger.info('closing HTTP API');
        await built.fastify.close();
      });
      logger.info({ url, policies: store.list().map((p) => p.blueprint) }, `Countersign API listening on ${url}`);
      for (const i of integrations) await i.start?.(decider);
    }

    return { url, temporalAddress: address, namespace: config.namespace, taskQueue, client, policies, app, worker, metrics, close };
  } catch (error) {
    await close();
    throw error;
  }
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

/** Resolves on the first SIGINT/SIGTERM, after `service.close()`; a second signal exits at once. */
export function closeOnSignals(service: { close(): Promise<void> }, logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'shutting down (send the signal again to exit at once)');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      void service.close().then(() => resolve(signal));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** Which service command runs: `start` (everything, embedded Temporal), `worker` or `api`. */
export type ServiceCommandKind = 'start' | 'worker' | 'api';

const COMMAND_HELP: Record<ServiceCommandKind, string> = {
  start: `usage: countersign start [--temporal-port N] [--ui-port N]

Runs the whole service in this process: a Temporal dev server persisted to
$COUNTERSIGN_DATA_DIR/temporal.db (or TEMPORAL_ADDRESS when set), the worker and the HTTP API.
The Temporal CLI is found via TEMPORAL_CLI, PATH or ./.tools/temporal, else built with \`go install\`.`,
  worker: `usage: countersign worker

Runs a Temporal worker for the approval workflow against TEMPORAL_ADDRESS (default 127.0.0.1:7233).`,
  api: `usage: countersign api

Runs the HTTP API against TEMPORAL_ADDRESS (default 127.0.0.1:7233), loading COUNTERSIGN_POLICY_DIR with hot reload.`,
};

const ENV_HELP = `
environment:
  COUNTERSIGN_PORT (8787)  COUNTERSIGN_HOST (127.0.0.1)  COUNTERSIGN_DATA_DIR (./.countersign)
  COUNTERSIGN_POLICY_DIR (./policies)  COUNTERSIGN_CONFIG (./countersign.yaml)
  TEMPORAL_ADDRESS  TEMPORAL_NAMESPACE (default)  TEMPORAL_CLI  COUNTERSIGN_CALLBACK_SECRET
  COUNTERSIGN_LOG_LEVEL (info)`;

export interface ServiceCommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/**
 * The body of `countersign start|worker|api`: validate config, start, run until SIGINT/SIGTERM,
 * shut down gracefully. Exit codes: 0 after a clean shutdown, 2 bad usage or configuration,
 * 1 start failure.
 */
export async function runServiceCommand(
  kind: ServiceCommandKind,
  args: readonly string[],
  io: ServiceCommandIO,
  hooks: { until?: Promise<unknown> } = {},
): Promise<number> {
  let temporalPort: number | undefined;
  let uiPort: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      io.stdout(COMMAND_HELP[kind] + ENV_HELP);
      return 0;
    }
    if (kind === 'start' && (arg === '--temporal-port' || arg === '--ui-port')) {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 0 || value > 65535) {
        io.stderr(`countersign ${kind}: ${arg} needs a port number 0-65535\n${COMMAND_HELP[kind]}`);
        return 2;
      }
      if (arg === '--temporal-port') temporalPort = value;
      else uiPort = value;
      continue;
    }
    io.stderr(`countersign ${kind}: unknown option ${arg}\n${COMMAND_HELP[kind]}`);
    return 2;
  }

  const { ConfigError, loadConfig } = await import('./config/index.js');
  const { createLogger } = await import('./logger.js');
  let config: ServiceConfig;
  try {
    config = loadConfig({ env: io.env, cwd: io.cwd, checkPolicyDir: kind !== 'worker' });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`countersign ${kind}: invalid configuration, nothing started:\n${error.format()}`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger({
    level: config.logLevel,
    destination: { write: (line: string) => io.stderr(line) },
  });
  let service: RunningService;
  try {
    service = await startService({
      config,
      logger,
      worker: kind !== 'api',
      api: kind !== 'worker',
      embedded: kind === 'start',
      ...(temporalPort !== undefined ? { temporalPort } : {}),
      ...(uiPort !== undefined ? { temporalUiPort: uiPort } : {}),
      cwd: io.cwd,
      env: { ...io.env },
      onProgress: (line) => io.stderr(`countersign: ${line}`),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    io.stderr(`countersign ${kind}: could not start${typeof code === 'string' ? ` (${code})` : ''}: ${(error as Error).message}`);
    logger.flush?.();
    return 1;
  }
  if (service.url) io.stdout(`Countersign ${kind === 'start' ? 'service' : kind} ready: ${service.url} (Temporal ${service.temporalAddress})`);
  else io.stdout(`Countersign worker ready (Temporal ${service.temporalAddress}, task queue ${service.taskQueue})`);
  if (hooks.until) {
    await hooks.until;
    await service.close();
  } else {
    await closeOnSignals(service, logger);
  }
  io.stdout(`Countersign ${kind} stopped`);
  return 0;
}
