/** Reaching Temporal: TEMPORAL_ADDRESS, or an embedded dev server persisted under the data dir. */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_TYPES } from '../core/index.js';
import {
  connectionSummary,
  describeTemporalConnection,
  ensureSearchAttributes,
  ensureTemporalCli,
  startDevServer,
  temporalConnectionOptions,
  TemporalServerUnreachableError,
  type DevServer,
} from '../infra/temporal/index.js';
import type { Shutdown } from './shutdown.js';
import type { ServiceOptions } from './types.js';

/** Port of the embedded dev server when none is given (Temporal's usual port). */
export const DEFAULT_TEMPORAL_PORT = 7233;

/**
 * Starts the embedded dev server when `config.temporalAddress` is unset and `embedded` allows,
 * then connects (TLS / API key from the config, the same options as the worker's connection);
 * registers search attributes on a server it did not start, or checks them where it may not add them.
 */
export async function connectTemporal(
  options: ServiceOptions,
  say: (line: string) => void,
  shutdown: Shutdown,
): Promise<{ address: string; client: Client }> {
  const { config, logger } = options;
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
    shutdown.push(async () => {
      logger.info('stopping Temporal dev server');
      await server.stop();
    });
    address = devServer.address;
    logger.info({ temporalAddress: address }, 'Temporal dev server ready');
  }
  address ??= `127.0.0.1:${DEFAULT_TEMPORAL_PORT}`;

  const connectionOptions = temporalConnectionOptions(config, address);
  let connection: Connection;
  try {
    connection = await Connection.connect(connectionOptions);
  } catch (cause) {
    throw new TemporalServerUnreachableError(
      `could not connect to Temporal at ${address} (${connectionSummary(connectionOptions)}): ${String(cause)}; check TEMPORAL_ADDRESS, TEMPORAL_TLS* and TEMPORAL_API_KEY`,
      { cause },
    );
  }
  shutdown.push(() => connection.close());
  logger.info({ namespace: config.namespace, ...describeTemporalConnection(connectionOptions) }, 'connected to Temporal');
  if (!devServer) await ensureSearchAttributes(connection, config.namespace, SEARCH_ATTRIBUTE_TYPES);
  const client = new Client({ connection, namespace: config.namespace });
  return { address, client };
}
