/**
 * A small argument parser for the CLI commands: positionals plus `--flag`, `--flag value` and
 * `--flag=value`. Unknown flags are usage errors.
 */
import { CountersignError } from '../core/index.js';
import type { CliIO } from './io.js';

export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
}

/** A command line the command cannot run: the message says what is wrong; usage follows it. */
export class UsageError extends CountersignError<'usage'> {
  constructor(message: string) {
    super('usage', message);
  }
}

/**
 * @param valued flags that take a value (`--action`, `--at`, `--config`)
 * @param boolean flags that do not (`--json`)
 * @throws UsageError
 */
export function parseArgs(args: readonly string[], valued: readonly string[], boolean: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (valued.includes(name)) {
      const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      values.set(name, value);
    } else if (boolean.includes(name) && eq < 0) {
      flags.add(name);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positionals, values, flags };
}

/**
 * Use at the top of a command instead of {@link parseArgs}: on a usage error prints
 * the message and `usage` to stderr and returns 2; with `--help` (always accepted) prints
 * `usage` to stdout and returns 0; otherwise returns the parsed arguments.
 */
export function parseCommandArgs(
  args: readonly string[],
  options: { valued?: readonly string[]; boolean?: readonly string[] },
  usage: string,
  io: CliIO,
): ParsedArgs | number {
  let parsed;
  try {
    parsed = parseArgs(args, options.valued ?? [], [...(options.boolean ?? []), 'help']);
  } catch (err) {
    io.stderr(`${(err as UsageError).message}\n${usage}`);
    return 2;
  }
  if (parsed.flags.has('help')) {
    io.stdout(usage);
    return 0;
  }
  return parsed;
}
