/**
 * An in-memory {@link CliIO} for running commands in-process (tests, tooling): everything printed
 * is kept, line-terminated, in `out` and `err`.
 */
import type { CliIO } from '../io.js';

export interface CapturedIO extends CliIO {
  readonly out: string[];
  readonly err: string[];
  /** All of stdout as one string, every write ending in a newline. */
  stdoutText(): string;
  stderrText(): string;
}

export function captureIO(options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CapturedIO {
  const out: string[] = [];
  const err: string[] = [];
  const nl = (t: string): string => (t.endsWith('\n') ? t : `${t}\n`);
  return {
    out,
    err,
    stdout: (t) => void out.push(nl(t)),
    stderr: (t) => void err.push(nl(t)),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
  };
}
