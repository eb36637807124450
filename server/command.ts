/** The body of `countersign start|worker|api`: options, configuration, start, run until a signal, stop. */
import type { ServiceConfig } from '../infra/config/index.js';
import { closeOnSignals } from './signals.js';
import { startService } from './start.js';
import type { RunningService } from './types.js';

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
 * 1 start failure or a failure the service could not recover from (see `RunningService.failed`).
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

  const { ConfigError } = await import('../infra/config/index.js');
  const { loadServiceConfig } = await import('./config.js');
  const { createLogger } = await import('../infra/logger.js');
  let config: ServiceConfig;
  try {
    config = loadServiceConfig({ env: io.env, cwd: io.cwd, checkPolicyDir: kind !== 'worker' });
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
  const asked = hooks.until ? hooks.until.then(async () => service.close()) : closeOnSignals(service, logger);
  const failure = await Promise.race([asked.then(() => null), service.failed]);
  if (failure) {
    // The service could not keep itself running (the dev server kept dying): stop, and let a process manager take over.
    await service.close();
    const code = (failure as { code?: unknown }).code;
    io.stderr(`countersign ${kind}: stopped${typeof code === 'string' ? ` (${code})` : ''}: ${failure.message}`);
    logger.flush?.();
    return 1;
  }
  io.stdout(`Countersign ${kind} stopped`);
  return 0;
}
