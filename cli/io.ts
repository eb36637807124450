/**
 * What a CLI command may touch. Commands take this instead of `process` so tests run them
 * in-process and read exactly what they printed.
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** A subcommand: parses its own arguments and returns the process exit code. */
export type Command = (args: readonly string[], io: CliIO) => Promise<number>;

/** The real process's streams and environment. */
export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
    cwd: process.cwd(),
  };
}
