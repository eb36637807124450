/**
 * Building the Temporal CLI with `go install` into `<cwd>/.tools`, guarded by a lock file so two
 * processes never build at once.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TemporalCliInstallFailedError } from './errors.js';
import { isExecutable, TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION, TEMPORAL_EXE, toolsDir } from './find.js';
import { withInstallLock } from './lock.js';

/** Options of {@link installTemporalCli} and {@link ensureTemporalCli}. */
export interface InstallTemporalCliOptions {
  /** Project root; the CLI goes to `<cwd>/.tools/temporal`. Defaults to `process.cwd()`. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Receives human-readable progress lines (go output, elapsed time every ~15 s). */
  onProgress?: (line: string) => void;
}

const PROGRESS_EVERY_MS = 15_000;

/**
 * Builds the Temporal CLI {@link TEMPORAL_CLI_VERSION} with `go install` into `<cwd>/.tools`.
 * Returns its path, or null when Go is not installed: the caller may then fall back to the
 * TypeScript SDK's own download (`startDevServer({ cliPath: null })`, needs internet).
 *
 * @throws {TemporalCliInstallFailedError} when `go install` fails.
 */
export async function installTemporalCli(options: InstallTemporalCliOptions = {}): Promise<string | null> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const say = options.onProgress ?? (() => {});
  if (!(await goAvailable(env))) return null;
  const dir = toolsDir(cwd);
  const target = path.join(dir, TEMPORAL_EXE);
  await mkdir(dir, { recursive: true });
  return withInstallLock(dir, say, async () => {
    if (await isExecutable(target)) return target; // another process built it while we waited
    const gobin = await mkdtemp(path.join(dir, '.build-'));
    const started = Date.now();
    say(`Temporal CLI not found: building ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} into ${dir} ` +
      `(the first build downloads modules and compiles for several minutes; later builds use Go's cache)`);
    const timer = setInterval(
      () => say(`still building the Temporal CLI… ${Math.round((Date.now() - started) / 1000)} s elapsed`),
      PROGRESS_EVERY_MS,
    );
    try {
      await runGo(['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], { ...env, GOBIN: gobin }, say);
      await rename(path.join(gobin, TEMPORAL_EXE), target); // atomic: never a half-written binary
      say(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
      return target;
    } finally {
      clearInterval(timer);
      await rm(gobin, { recursive: true, force: true });
    }
  });
}

function goAvailable(env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('go', ['version'], { env, stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

function runGo(args: string[], env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        tail.push(line);
        if (tail.length > 30) tail.shift();
        say(line);
      });
    }
    child.on('error', (cause) => reject(new TemporalCliInstallFailedError(`could not run go: ${cause.message}`, { cause, final: true })));
    child.on('exit', (code) => {
      if (code === 0) return resolve();
      const output = tail.join('\n');
      const network = /dial tcp|i\/o timeout|connection (refused|reset)|no such host|TLS handshake|proxy/i.test(output);
      reject(new TemporalCliInstallFailedError(
        `go ${args.join(' ')} failed (exit ${code}). ` +
          (network ? 'It looks like a network error: check access to the Go module proxy and retry. '
            : 'Install Go >= 1.25 (no cgo needed) or set TEMPORAL_CLI to an existing temporal binary. ') +
          `Last output:\n${output}`,
        { final: !network },
      ));
    });
  });
}
