/** Reaching Temporal: TEMPORAL_ADDRESS, or an embedded dev server persisted under the data dir. */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_TYPES } from '../core/index.js';
import {
  connectionSummary,
  describeTemporalConnection,
  ensureSearchAttributes,
  ensureTemporalCli,
  guardedRetry,
  startDevServer,
  superviseDevServer,
  temporalConnectionOptions,
  TemporalServerUnreachableError,
  type DevServerOptions,
  type SupervisedDevServer,
  type SupervisorEvent,
} from '../infra/temporal/index.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import type { Shutdown } from './shutdown.js';
import type { ServiceOptions } from './types.js';

/** Port of the embedded dev server when none is given (Temporal's usual port). */
export const DEFAULT_TEMPORAL_PORT = 7233;

/**
 * gRPC reconnect backoff of the client connection: after an outage the next attempt is at most 2 s
 * away (grpc-js would otherwise back off up to 2 minutes), so the API sees Temporal back at once.
 */
const RECONNECT_CHANNEL_ARGS = { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2000 } as const;

/**
 * Starts the embedded dev server when `config.temporalAddress` is unset and `embedded` allows,
 * supervised (started again on the same data dir and port when it dies), then connects (TLS / API
 * key from the config, the same options as the worker's connection); registers search attributes
 * on a server it did not start, or checks them where it may not add them.
 */
export async function connectTemporal(
  options: ServiceOptions & { metrics: Metrics },
  say: (line: string) => void,
  shutdown: Shutdown,
): Promise<{ address: string; client: Client; probe: Client; devServer: SupervisedDevServer | null; reachable: { set(up: () => boolean): void } }> {
  const { config, logger } = options;
  let address = config.temporalAddress;
  let devServer: SupervisedDevServer | null = null;
  if (!address && (options.embedded ?? true)) {
    const cliPath = await ensureTemporalCli({ cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env, onProgress: say });
    const dbFile = path.join(config.dataDir, 'temporal.db');
    say(`starting Temporal dev server (state in ${dbFile})`);
    const serverOptions: DevServerOptions = {
      cliPath,
      dbFile,
      port: options.temporalPort === 0 ? undefined : (options.temporalPort ?? DEFAULT_TEMPORAL_PORT),
      ...(options.temporalUiPort ? { uiPort: options.temporalUiPort } : {}),
      namespace: config.namespace,
      searchAttributes: SEARCH_ATTRIBUTE_TYPES,
      log: (line) => logger.debug({ temporal: true }, line),
    };
    const first = await startDevServer(serverOptions);
    // Restarts reuse the port the first start settled on, so every connection finds it again.
    const port = Number(first.address.split(':').pop());
    devServer = superviseDevServer(first, {
      start: () => startDevServer({ ...serverOptions, port }),
      dbFile,
      onEvent: (event) => reportSupervision(logger, options.metrics, first.address, dbFile, event),
      ...options.supervision,
    });
    const server = devServer;
    shutdown.push(async () => {
      logger.info('stopping Temporal dev server');
      await server.stop();
    });
    address = devServer.address;
    logger.info({ temporalAddress: address }, 'Temporal dev server ready');
  }
  address ??= `127.0.0.1:${DEFAULT_TEMPORAL_PORT}`;

  const connectionOptions = temporalConnectionOptions(config, address);
  // Until the monitor runs, Temporal counts as up; then retries stop while it is known to be down.
  let isUp = (): boolean => true;
  const retry = guardedRetry(() => isUp());
  let connection: Connection;
  let probeConnection: Connection;
  try {
    connection = await Connection.connect({ ...connectionOptions, channelArgs: RECONNECT_CHANNEL_ARGS, interceptors: [retry.interceptor] });
    // The health check's own connection, without retries: a refused connection is an answer at once.
    probeConnection = await Connection.connect({ ...connectionOptions, channelArgs: RECONNECT_CHANNEL_ARGS, interceptors: [] });
  } catch (cause) {
    throw new TemporalServerUnreachableError(
      `could not connect to Temporal at ${address} (${connectionSummary(connectionOptions)}): ${String(cause)}; check TEMPORAL_ADDRESS, TEMPORAL_TLS* and TEMPORAL_API_KEY`,
      { cause },
    );
  }
  shutdown.push(async () => {
    await retry.quiesce();
    await connection.close();
    await probeConnection.close();
  });
  logger.info({ namespace: config.namespace, ...describeTemporalConnection(connectionOptions) }, 'connected to Temporal');
  if (!devServer) await ensureSearchAttributes(connection, config.namespace, SEARCH_ATTRIBUTE_TYPES);
  const client = new Client({ connection, namespace: config.namespace });
  const probe = new Client({ connection: probeConnection, namespace: config.namespace });
  return { address, client, probe, devServer, reachable: { set: (up) => (isUp = up) } };
}

/** One line per event: an outage reads "lost", then "recovered" (or "gave up"), not a warning storm. */
function reportSupervision(logger: Logger, metrics: Metrics, address: string, dbFile: string, event: SupervisorEvent): void {
  switch (event.kind) {
    case 'lost': {
      const how = event.exit.signal ? `signal ${event.exit.signal}` : `exit code ${event.exit.code}`;
      logger.error({ temporalAddress: address, exit: event.exit, output: event.output.slice(-5) }, `Temporal dev server lost (${how}): restarting it on ${dbFile}`);
      break;
    }
    case 'restart-failed':
      logger.warn({ attempt: event.attempt, err: event.error, retryInMs: event.retryInMs }, `Temporal dev server restart ${event.attempt} failed; trying again`);
      break;
    case 'recovered':
      metrics.temporalRestarts.inc();
      logger.info({ temporalAddress: address, downMs: event.downMs, attempts: event.attempts }, `Temporal dev server recovered after ${(event.downMs / 1000).toFixed(1)} s; pending approvals continue from ${dbFile}`);
      break;
    case 'gave-up':
      logger.fatal({ err: event.error }, event.error.message.split('\n')[0]!);
      break;
  }
}
