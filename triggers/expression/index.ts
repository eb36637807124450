/**
 * The policy expression language: `refund.amount > 50`, `threat_score >= 90 AND source == 'known-malicious'`,
 * `environment in ['staging', 'dev']`, or a bare action-name pattern such as `escalate.to-human`.
 * Hand-written lexer, parser and closure compiler; nothing is ever `eval`ed.
 *
 * Semantics (fail closed: this is the security boundary, so doubt never becomes "true"):
 * - A comparison that reads a missing field is unknown (`undefined`). `null` is a real value:
 *   `x == null` is true for `x: null` and unknown when `x` is absent.
 * - `==`/`!=` use strict equality on strings, booleans, null and finite numbers (`5 == '5'` is false).
 *   Objects, arrays, NaN, ±Infinity and other non-JSON values make the comparison unknown.
 * - `< <= > >=` need two finite numbers or two strings (compared by UTF-16 code unit); any other mix is unknown.
 * - `x in [..]` is true when `x` strictly equals a list item; `not in` negates it; unknown as for `==`.
 * - A bare field or literal used as a condition is true/false only if it is a boolean, else unknown.
 * - Evaluation runs left to right and stops once the outcome is settled. AND: false ends it; an
 *   unknown followed by a false is false. OR: true ends it; an unknown ends it as unknown (not
 *   Kleene: `missing == 1 OR b == 2` never becomes true). NOT unknown is unknown. A false reached
 *   only after an unknown counts as false but can never become true (NOT of it, or OR with a
 *   later true, is unknown). Hence: when `test()` is true, no missing field was read.
 * - Paths read the first segment through the caller's {@link RootResolver} and every later segment
 *   as an own property of a non-null object or array (`constructor`, `__proto__`, `toString` on
 *   ordinary objects and `length` on strings are missing). Accessor properties are invoked.
 */
import { ACTION_PATTERN, compileActionPattern } from './action-pattern.js';
import { compileNode } from './compile.js';
import { parse, type Node } from './parser.js';
import { MISSING, TRUE, UNKNOWN, type RootResolver } from './values.js';

export { compileActionPattern, MISSING };
export type { RootResolver };
export { MAX_DEPTH } from './parser.js';

/** Three-valued truth: `undefined` means unknown, which callers must treat as "not allowed". */
export type Truth = boolean | undefined;

/** A compiled trigger or condition. Compile once at policy load; call `test()` per request. */
export interface CompiledCondition {
  readonly source: string;
  readonly kind: 'condition' | 'action-pattern';
  /** Dotted paths the condition reads, in source order without duplicates (empty for patterns). */
  readonly paths: readonly string[];
  /** Hot path: allocation-free; never throws (given a total `resolveRoot`/`actionOf`). */
  test(input: unknown): Truth;
  /** Slow path for explanations/tests: the same answer plus the dotted paths read that were missing. */
  trace(input: unknown): { value: Truth; missing: string[] };
}

export interface TriggerOptions {
  resolveRoot: RootResolver;
  /** The request's action name; a non-string makes an action pattern unknown. */
  actionOf: (input: unknown) => string;
}

/**
 * Compiles an `approvalWorkflows[].trigger`: a bare action-name pattern (no operator, not
 * `true`/`false`/`null`) matches the action name; anything else is a condition.
 * @throws PolicyError with an `expr-*` code and the 0-based `offset` of the problem.
 */
export function compileTrigger(source: string, options: TriggerOptions): CompiledCondition {
  const trimmed = source.trim();
  if (!ACTION_PATTERN.test(trimmed) || /^(true|false|null)$/i.test(trimmed)) return compileCondition(source, options.resolveRoot);
  const matches = compileActionPattern(trimmed);
  const actionOf = options.actionOf;
  const test = (input: unknown): Truth => {
    const action: unknown = actionOf(input);
    return typeof action === 'string' ? matches(action) : undefined;
  };
  return {
    source, kind: 'action-pattern', paths: [], test,
    trace: (input) => {
      const value = test(input);
      return { value, missing: value === undefined ? ['action'] : [] };
    },
  };
}

/**
 * Compiles a condition (a `permissions.execute[].condition`); never treated as an action pattern,
 * so a bare `flag` reads the field `flag` as a boolean.
 * @throws PolicyError with an `expr-*` code and the 0-based `offset` of the problem.
 */
export function compileCondition(source: string, resolveRoot: RootResolver): CompiledCondition {
  const ast = parse(source);
  const evaluate = compileNode(ast, resolveRoot);
  return {
    source, kind: 'condition', paths: [...collectPaths(ast, new Set())],
    test: (input) => {
      const code = evaluate(input, null);
      return code === TRUE ? true : code === UNKNOWN ? undefined : false;
    },
    trace: (input) => {
      const sink: string[] = [];
      const code = evaluate(input, sink);
      return { value: code === TRUE ? true : code === UNKNOWN ? undefined : false, missing: [...new Set(sink)] };
    },
  };
}

function collectPaths(node: Node, out: Set<string>): Set<string> {
  if (node.type === 'path') out.add(node.path);
  else if (node.type === 'not') collectPaths(node.operand, out);
  else if (node.type === 'and' || node.type === 'or') for (const operand of node.operands) collectPaths(operand, out);
  else if (node.type === 'cmp') { collectPaths(node.left, out); collectPaths(node.right, out); }
  else if (node.type === 'in') collectPaths(node.left, out);
  return out;
}
