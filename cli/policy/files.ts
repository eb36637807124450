/**
 * File access for `countersign policy …`: the CLI reads policy and test files itself (the service
 * has its own reader in infra/policies). Directories are read one level deep, in name order.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CountersignError } from '../../core/index.js';

/** A file read from disk: `path` as the user should see it, `text` its contents. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Why a path could not be read, in one sentence. */
export class FileError extends CountersignError<'file-unreadable'> {
  constructor(readonly path: string, message: string) {
    super('file-unreadable', message);
  }
}

/** `*.test.yaml` / `*.test.yml` are policy test files, never policies. */
export function isTestFile(name: string): boolean {
  return /\.test\.ya?ml$/i.test(name);
}

/** `*.yaml` / `*.yml` that is not a test file. */
export function isPolicyFile(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !isTestFile(name);
}

/** Absolute path of `path` as seen from `cwd`. */
export function absolute(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
}

/**
 * Expands the paths given on the command line: a file stays itself; a directory becomes the files
 * in it that `select` accepts (not recursive), sorted by name. Paths keep the user's spelling
 * (`policies/` + `a.yaml` → `policies/a.yaml`).
 * @throws FileError when a path does not exist or a directory holds no matching file.
 */
export function expandPaths(cwd: string, paths: readonly string[], select: (name: string) => boolean, what: string): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(absolute(cwd, p)).isDirectory();
    } catch (err) {
      throw new FileError(p, `cannot read ${p}: ${describe(err)}`);
    }
    if (!isDir) {
      out.push(p);
      continue;
    }
    const names = readdirSync(absolute(cwd, p), { withFileTypes: true })
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && select(e.name))
      .map((e) => e.name)
      .sort();
    if (names.length === 0) throw new FileError(p, `${p} holds no ${what}`);
    for (const name of names) out.push(join(p, name));
  }
  return out;
}

/** Reads one UTF-8 file. @throws FileError */
export function readSource(cwd: string, path: string): SourceFile {
  try {
    return { path, text: readFileSync(absolute(cwd, path), 'utf8') };
  } catch (err) {
    throw new FileError(path, `cannot read ${path}: ${describe(err)}`);
  }
}

/** Reads a file if it exists; `undefined` when it does not. @throws FileError on other failures. */
export function readIfExists(cwd: string, path: string): SourceFile | undefined {
  try {
    return { path, text: readFileSync(absolute(cwd, path), 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
    throw new FileError(path, `cannot read ${path}: ${describe(err)}`);
  }
}
