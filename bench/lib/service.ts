/**
 * The real Countersign service as child processes (`countersign worker` / `countersign api` run from
 * sources through bench/lib/countersign.ts), for the reliability test and the benchmarks: `kill9()`
 * is a real SIGKILL, RSS is the process's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = path.join(ROOT, 'bench', 'lib', 'countersign.ts');

export type ServiceKind = 'worker' | 'api';

export interface ServiceFixture {
  /** Directory holding countersign.yaml, policies/ and data/. */
  dir: string;
  dataDir: string;
  policyDir: string;
  configFile: string;
}

/** Writes `countersign.yaml` and the given policy files under `dir`. */
export async function writeServiceFixture(dir: string, config: string, policies: Record<string, string>): Promise<ServiceFixture> {
  const policyDir = path.join(dir, 'policies');
  const dataDir = path.join(dir, 'data');
  await mkdir(policyDir, { recursive: true });
  await mkdir(dataDir, { recursive: true });
  const configFile = path.join(dir, 'countersign.yaml');
  await writeFile(configFile, config);
  for (const [name, text] of Object.entries(policies)) await writeFile(path.join(policyDir, name), text);
  return { dir, dataDir, policyDir, configFile };
}

/** What any child process needs from this one's environment: PATH, HOME, TMPDIR. */
export function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TMPDIR: process.env.TMPDIR ?? '/tmp' };
}

/**
 * The environment of a service child: only what it needs (no vendor variables leak in from the
 * parent, so no Slack/Teams/… integration loads).
 */
export function serviceEnv(fixture: ServiceFixture, extra: { temporalAddress: string; port: number; callbackSecret?: string; logLevel?: string; nodeOptions?: string }): Record<string, string> {
  const env: Record<string, string> = {
    ...baseEnv(),
    TEMPORAL_ADDRESS: extra.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    COUNTERSIGN_DATA_DIR: fixture.dataDir,
    COUNTERSIGN_POLICY_DIR: fixture.policyDir,
    COUNTERSIGN_CONFIG: fixture.configFile,
    COUNTERSIGN_HOST: '127.0.0.1',
    COUNTERSIGN_PORT: String(extra.port),
    COUNTERSIGN_LOG_LEVEL: extra.logLevel ?? 'warn',
  };
  if (extra.callbackSecret) env.COUNTERSIGN_CALLBACK_SECRET = extra.callbackSecret;
  if (extra.nodeOptions) env.NODE_OPTIONS = extra.nodeOptions;
  return env;
}

export interface ServiceProcess<K extends string = ServiceKind> {
  kind: K;
  pid: number;
  child: ChildProcess;
  /** Resolves when the process printed its `ready` line; rejects when it exits first. */
  ready: Promise<void>;
  /** Resolves with the exit code / signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has exited. */
  readonly dead: boolean;
  /** SIGKILL, resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful drain), SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `countersign <kind>` from sources. stdout/stderr are appended to `logFile` (the service's
 * pino lines); the last lines are kept for error messages.
 */
export function spawnService(kind: ServiceKind, env: Record<string, string>, logFile: string, options: { readyTimeoutMs?: number } = {}): ServiceProcess {
  return spawnScript(kind, [ENTRY, kind], env, logFile, { ...options, label: `countersign ${kind}` });
}

/**
 * Spawns `node --import tsx <args>` (a TypeScript script of this repository) the way
 * {@link spawnService} does: ready once it prints a line containing `ready` on stdout.
 */
export function spawnScript<K extends string>(
  kind: K,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  options: { readyTimeoutMs?: number; label?: string } = {},
): ServiceProcess<K> {
  const label = options.label ?? kind;
  // BENCH_CPU_PROF_DIR in the child's env: a V8 CPU profile written there when it exits (not allowed in NODE_OPTIONS).
  const prof = env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  log.write(`---- ${new Date().toISOString()} spawn ${kind} pid ${child.pid}\n`);
  const tail: string[] = [];
  let dead = false;
  let onReady!: () => void;
  let onFail!: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  ready.catch(() => {});
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      tail.push(line);
      if (tail.length > 30) tail.shift();
      if (stream === child.stdout && /ready/.test(line)) onReady();
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      dead = true;
      log.write(`---- ${new Date().toISOString()} ${kind} pid ${child.pid} exited code=${code} signal=${signal}\n`);
      log.end();
      onFail(new Error(`${label} exited (code ${code}, signal ${signal}) before it was ready:\n${tail.join('\n')}`));
      resolve({ code, signal });
    });
  });
  const timer = setTimeout(() => onFail(new Error(`${label} not ready within ${options.readyTimeoutMs ?? 90_000} ms:\n${tail.join('\n')}`)), options.readyTimeoutMs ?? 90_000);
  void ready.finally(() => clearTimeout(timer)).catch(() => {});
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  return {
    kind,
    pid: child.pid!,
    child,
    ready,
    exited,
    get dead() {
      return dead;
    },
    async kill9() {
      if (!dead) child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 15_000) {
      if (!dead) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Resident set size of a live process in bytes (Linux /proc), or null. */
export async function rssBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
