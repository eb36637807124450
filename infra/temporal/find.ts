/**
 * Locating an existing Temporal CLI executable. No side effects besides `access(2)` checks.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { TemporalCliNotFoundError } from './errors.js';

/** The Temporal CLI version `go install` builds; newer tags cannot be `go install`ed. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
/** Go module path of the CLI's main package. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** File name of the executable on this platform. */
export const TEMPORAL_EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

/** Where a project-local CLI lives: `<cwd>/.tools` (git-ignored). */
export function toolsDir(cwd: string): string {
  return path.join(cwd, '.tools');
}

/** Options of {@link findTemporalCli}. */
export interface FindTemporalCliOptions {
  /** Environment to read `TEMPORAL_CLI` and `PATH` from; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Project root whose `.tools/temporal` is checked; defaults to `process.cwd()`. */
  cwd?: string;
}

/** True when `file` exists and is executable by this process. */
export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the Temporal CLI, in order: the `TEMPORAL_CLI` env var, `temporal` on `PATH`,
 * `<cwd>/.tools/temporal`. Returns the absolute path, or null when none is found.
 *
 * @throws {TemporalCliNotFoundError} when `TEMPORAL_CLI` is set but is not an executable file:
 *   an explicit setting is never silently ignored.
 */
export async function findTemporalCli(options: FindTemporalCliOptions = {}): Promise<string | null> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = env.TEMPORAL_CLI;
  if (explicit) {
    const resolved = path.resolve(cwd, explicit);
    if (await isExecutable(resolved)) return resolved;
    throw new TemporalCliNotFoundError(
      `TEMPORAL_CLI=${explicit} is not an executable file: fix the path or unset TEMPORAL_CLI ` +
        `to use \`temporal\` on PATH or ${path.join(toolsDir(cwd), TEMPORAL_EXE)}.`,
    );
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(cwd, dir, TEMPORAL_EXE);
    if (await isExecutable(candidate)) return candidate;
  }
  const local = path.join(toolsDir(cwd), TEMPORAL_EXE);
  return (await isExecutable(local)) ? local : null;
}
