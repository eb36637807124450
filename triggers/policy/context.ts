import { parseChangeWindow, type ChangeWindow } from '../change-window/index.js';
import { parseDuration, type Seconds } from '../duration.js';
import { PolicyError, PolicyErrorCode } from '../errors.js';
import { compileCondition, compileTrigger, type CompiledCondition } from '../expression/index.js';
import { actionOf, resolveRoot } from '../request-scope.js';
import type { RuleRef } from '../../core/index.js';
import { closest } from '../did-you-mean.js';
import { formatPath, positionAt, type YamlPath, type YamlSource } from './yaml-source.js';

/**
 * Compiles the positioned leaves of a policy (expressions, durations, windows, group and channel
 * names) and collects every error instead of stopping at the first, so one lint run shows all.
 */
export class CompileContext {
  readonly errors: PolicyError[] = [];
  readonly groupsUsed = new Set<string>();

  constructor(
    readonly source: YamlSource,
    readonly policy: string | undefined,
    readonly knownGroups: ReadonlySet<string> | undefined,
    readonly knownChannels: readonly string[],
  ) {}

  rule(path: YamlPath): RuleRef {
    return { path: formatPath(path), line: positionAt(this.source, path).line };
  }

  fail(code: PolicyErrorCode, message: string, hint: string, path: YamlPath, inner?: number, target: 'key' | 'value' = 'value'): void {
    const at = positionAt(this.source, path, target, inner);
    this.errors.push(new PolicyError(code, message, { file: this.source.file, ...at, path: formatPath(path), policy: this.policy, hint, offset: inner }));
  }

  /** Re-positions an error thrown by a leaf parser (offset inside the string) onto the YAML node. */
  private adopt(error: unknown, path: YamlPath): void {
    if (!(error instanceof PolicyError)) throw error;
    const at = positionAt(this.source, path, 'value', error.offset ?? 0);
    Object.assign(error, { file: this.source.file, line: at.line, column: at.column, path: formatPath(path), policy: this.policy });
    this.errors.push(error);
  }

  trigger(text: string, path: YamlPath): CompiledCondition | null {
    try {
      return compileTrigger(text, { resolveRoot, actionOf });
    } catch (error) {
      this.adopt(error, path);
      return null;
    }
  }

  condition(text: string, path: YamlPath): CompiledCondition | null {
    try {
      return compileCondition(text, resolveRoot);
    } catch (error) {
      this.adopt(error, path);
      return null;
    }
  }

  duration(value: string | number | undefined, path: YamlPath): Seconds | null {
    if (value === undefined) return null;
    try {
      return parseDuration(value);
    } catch (error) {
      this.adopt(error, path);
      return null;
    }
  }

  window(text: string, path: YamlPath): ChangeWindow | null {
    try {
      return parseChangeWindow(text);
    } catch (error) {
      this.adopt(error, path);
      return null;
    }
  }

  group(name: string, path: YamlPath): string {
    this.groupsUsed.add(name);
    if (this.knownGroups && !this.knownGroups.has(name)) {
      const guess = closest(name, this.knownGroups);
      this.fail(PolicyErrorCode.UnknownGroup, `approver group \`${name}\` is not defined in the service config`,
        guess ? `did you mean \`${guess}\`?` : 'add it under `groups:` in countersign.yaml, or use an existing group', path);
    }
    return name;
  }

  channel(name: string | undefined, fallback: string, path: YamlPath): string {
    if (name === undefined) return fallback;
    const known = this.knownChannels;
    if (known.includes(name)) return name;
    const guess = closest(name, known);
    this.fail(PolicyErrorCode.UnknownChannel, `channel \`${name}\` is not one of ${known.join(', ')}`,
      guess ? `did you mean \`${guess}\`?` : `use one of ${known.join(', ')}`, path);
    return fallback;
  }
}
