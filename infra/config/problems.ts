/** Configuration problems: where each is, and the error that reports them all together. */
import { CountersignError } from '../../core/index.js';

/** One configuration problem. `where` is `VAR` or `file:line:col`; `path` is the dotted config path. */
export interface ConfigProblem {
  where: string;
  path?: string;
  message: string;
}

/** Thrown by `loadConfig`; `problems` lists every problem found, `format()` prints one per line. */
export class ConfigError extends CountersignError<'config-invalid'> {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      'config-invalid',
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
    this.problems = problems;
  }

  format(): string {
    return this.problems.map(formatProblem).join('\n');
  }
}

/** `where: path: message` (the path only when there is one). */
export function formatProblem(p: ConfigProblem): string {
  return `${p.where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}
