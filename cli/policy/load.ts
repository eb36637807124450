/**
 * Reads and compiles one policy file for the CLI, turning every failure into positioned errors.
 */
import { channelNames } from '../../integrations/index.js';
import { loadPolicy, PolicyError, PolicyErrorCode, PolicyLoadError, type CompiledPolicy } from '../../triggers/index.js';
import { FileError, readSource } from './files.js';

export type LoadResult =
  | { readonly ok: true; readonly policy: CompiledPolicy; readonly text: string }
  | { readonly ok: false; readonly errors: readonly PolicyError[] };

/** Loads `path` (relative to `cwd`); `groups`, when given, turns unknown approver groups into errors. */
export function loadPolicyFile(cwd: string, path: string, groups?: ReadonlySet<string>): LoadResult {
  let text: string;
  try {
    text = readSource(cwd, path).text;
  } catch (err) {
    const message = err instanceof FileError ? err.message : String(err);
    return { ok: false, errors: [new PolicyError(PolicyErrorCode.Io, message, { file: path })] };
  }
  return compileText(path, text, groups);
}

/** Compiles already-read text; never throws. */
export function compileText(path: string, text: string, groups?: ReadonlySet<string>): LoadResult {
  try {
    const policy = loadPolicy(text, { file: path, channels: channelNames(), ...(groups ? { groups } : {}) });
    return { ok: true, policy, text };
  } catch (err) {
    if (err instanceof PolicyLoadError) {
      for (const e of err.errors) e.file ??= path;
      return { ok: false, errors: err.errors };
    }
    if (err instanceof PolicyError) {
      err.file ??= path;
      return { ok: false, errors: [err] };
    }
    // A loader bug must not look like a valid policy: report it and fail.
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, errors: [new PolicyError(PolicyErrorCode.InvalidValue, `internal error while loading: ${message}`, { file: path, cause: err })] };
  }
}
