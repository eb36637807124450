/**
 * Running `temporal server start-dev` as a child process, persisted to a SQLite file so a restart
 * with the same file keeps pending workflows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { TemporalServerStartError } from './errors.js';
import type { SearchAttributeTypes } from './search-attributes.js';
import { startWithSdkDownload } from './sdk-server.js';

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  /** The `temporal` executable; null falls back to the SDK's download (needs `@temporalio/testing` and internet). */
  cliPath: string | null;
  /** SQLite state file; omit for an in-memory server that forgets everything on stop. */
  dbFile?: string;
  /** SQLite pragmas for the state file (default {@link DEFAULT_SQLITE_PRAGMAS}). */
  sqlitePragmas?: Readonly<Record<string, string>>;
  /** gRPC frontend port; a free port when omitted. */
  port?: number;
  /** Web UI port; the UI is off (`--headless`) when omitted. */
  uiPort?: number;
  /** Namespace created at start (default `default`). */
  namespace?: string;
  searchAttributes: SearchAttributeTypes;
  /** Receives the server's output lines. */
  log?: (line: string) => void;
  /** How long to wait for the frontend to answer (default 60 s). */
  startTimeoutMs?: number;
}

/**
 * Write-ahead logging with `synchronous=normal`: a commit is an append to the WAL, not an fsync of
 * a rollback journal and the database. The server shares ONE SQLite connection between history,
 * matching and visibility, so commit time is what bounds both workflow throughput and how long a
 * visibility list waits. A killed server loses nothing (the WAL is replayed on open); a power cut
 * may lose the last commits, as any `synchronous=normal` database may — production runs PostgreSQL.
 */
export const DEFAULT_SQLITE_PRAGMAS: Readonly<Record<string, string>> = Object.freeze({ journal_mode: 'wal', synchronous: 'normal' });

/** How a dev server process ended. */
export interface DevServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when {@link DevServer.stop} asked for it. */
  requested: boolean;
}

/** A running dev server. */
export interface DevServer {
  /** `127.0.0.1:<port>` */
  address: string;
  namespace: string;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
  /** The child process; null on the SDK fallback. */
  process: ChildProcess | null;
  /** Settles when the process ends, asked to or not (never on the SDK fallback). */
  exited: Promise<DevServerExit>;
  /** Its last output lines (at most 40), for a message when it fails. */
  output(): readonly string[];
}

/**
 * Starts the dev server and resolves once its frontend answers `DescribeNamespace`.
 *
 * @throws {TemporalServerStartError} when the process exits early or does not answer in time.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const port = options.port ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  const saArgs = Object.entries(options.searchAttributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
  if (options.cliPath === null) return startWithSdkDownload(options, namespace, port, saArgs);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace, '--log-level', 'warn', ...saArgs];
  if (options.dbFile) {
    args.push('--db-filename', options.dbFile);
    for (const [name, value] of Object.entries(options.sqlitePragmas ?? DEFAULT_SQLITE_PRAGMAS)) args.push('--sqlite-pragma', `${name}=${value}`);
  }
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      options.log?.(line);
    });
  }
  let requested = false;
  const exited = new Promise<DevServerExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, requested })));
  let spawnError: Error | undefined;
  child.once('error', (error) => { spawnError = error; });
  const killOnExit = (): void => { child.kill('SIGKILL'); };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    requested = true;
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) break;
    lastError = await probe(address, namespace);
    if (lastError === undefined) return { address, namespace, stop, process: child, exited, output: () => [...tail] };
    await sleep(200);
  }
  await stop();
  throw new TemporalServerStartError(
    `temporal server start-dev on ${address} did not start (${spawnError?.message ?? `exit ${child.exitCode ?? child.signalCode ?? 'timeout'}`}). ` +
      `If the port is taken, pick another; if the db file is corrupt, move it away. Output:\n${tail.join('\n')}`,
    { cause: spawnError ?? lastError },
  );
}

/** Resolves undefined when the frontend at `address` describes `namespace`, else the error. */
export async function probe(address: string, namespace: string): Promise<unknown> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: '2s' });
    await connection.workflowService.describeNamespace({ namespace });
    return undefined;
  } catch (error) {
    return error ?? new Error('unknown');
  } finally {
    await connection?.close().catch(() => {});
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
