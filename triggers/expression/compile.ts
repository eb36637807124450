/**
 * AST → tree of small closures. Evaluation is total (never throws) and allocation-free unless a
 * `sink` is passed to collect the dotted paths that were read and found missing.
 *
 * Internally a condition yields one of four codes. `FALSE_UNSURE` is false, but reached after
 * something unknown was read (`missing == 1 AND false`); it reports as `false`, yet it may never
 * turn into true: `NOT` of it is unknown, `OR` with a true right side is unknown. This is what
 * guarantees that a condition which comes out true read no missing field.
 */
import { compare, compareWithLiteral, isComparable } from './compare.js';
import type { Node } from './parser.js';
import { FALSE, FALSE_UNSURE, MISSING, TRUE, UNKNOWN, type Code, type Evaluator, type Reader, type RootResolver } from './values.js';

/** Compiles a condition AST against `resolveRoot`. */
export function compileNode(node: Node, resolveRoot: RootResolver): Evaluator {
  switch (node.type) {
    case 'lit': {
      const code = truthOf(node.value);
      return () => code;
    }
    case 'path': {
      const read = readPath(node.segments, node.path, resolveRoot);
      return (input, sink) => truthOf(read(input, sink));
    }
    case 'not': {
      const operand = compileNode(node.operand, resolveRoot);
      return (input, sink) => {
        const r = operand(input, sink);
        return r === TRUE ? FALSE : r === FALSE ? TRUE : UNKNOWN;
      };
    }
    case 'and':
      return all(node.operands.map((operand) => compileNode(operand, resolveRoot)));
    case 'or':
      return any(node.operands.map((operand) => compileNode(operand, resolveRoot)));
    case 'cmp': {
      const op = node.op;
      const left = compileValue(node.left, resolveRoot);
      if (node.right.type === 'lit') return compareWithLiteral(op, left, node.right.value);
      const right = compileValue(node.right, resolveRoot);
      return (input, sink) => {
        const l = left(input, sink);
        return l === MISSING ? UNKNOWN : compare(op, l, right(input, sink));
      };
    }
    case 'in': {
      const left = compileValue(node.left, resolveRoot);
      const members = new Set<unknown>(node.list);
      const hit = node.negated ? FALSE : TRUE, miss = node.negated ? TRUE : FALSE;
      return (input, sink) => {
        const l = left(input, sink);
        return !isComparable(l) ? UNKNOWN : members.has(l) ? hit : miss;
      };
    }
  }
}

/** AND, left to right: stops at the first false; an unknown before a false makes it FALSE_UNSURE. */
function all(operands: readonly Evaluator[]): Evaluator {
  return (input, sink) => {
    let state: Code = TRUE;
    for (let k = 0; k < operands.length; k++) {
      const r = operands[k]!(input, sink);
      if (r === FALSE) return state === TRUE ? FALSE : FALSE_UNSURE;
      if (r === FALSE_UNSURE) return FALSE_UNSURE;
      if (r === UNKNOWN) state = UNKNOWN;
    }
    return state;
  };
}

/** OR, left to right: stops at the first true or unknown (not Kleene: unknown OR true is unknown). */
function any(operands: readonly Evaluator[]): Evaluator {
  return (input, sink) => {
    let state: Code = FALSE;
    for (let k = 0; k < operands.length; k++) {
      const r = operands[k]!(input, sink);
      if (r === TRUE) return state === FALSE ? TRUE : UNKNOWN;
      if (r === UNKNOWN) return UNKNOWN;
      if (r === FALSE_UNSURE) state = FALSE_UNSURE;
    }
    return state;
  };
}

/** An operand of a comparison: its value, or MISSING when absent or not a definite boolean. */
function compileValue(node: Node, resolveRoot: RootResolver): Reader {
  if (node.type === 'lit') {
    const value = node.value;
    return () => value;
  }
  if (node.type === 'path') return readPath(node.segments, node.path, resolveRoot);
  const condition = compileNode(node, resolveRoot);
  return (input, sink) => {
    const r = condition(input, sink);
    return r === TRUE ? true : r === FALSE ? false : MISSING;
  };
}

/** First segment through `resolveRoot`, the rest as own properties of non-null objects only. */
function readPath(segments: readonly string[], path: string, resolveRoot: RootResolver): Reader {
  const first = segments[0]!;
  const rest = segments.slice(1);
  if (rest.length === 0) {
    return (input, sink) => {
      const value = resolveRoot(input, first);
      if (value !== undefined && value !== MISSING) return value;
      if (sink !== null) sink.push(path);
      return MISSING;
    };
  }
  return (input, sink) => {
    let value = resolveRoot(input, first);
    for (let k = 0; k < rest.length && value !== undefined; k++) {
      const key = rest[k]!;
      value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value !== undefined && value !== MISSING) return value;
    if (sink !== null) sink.push(path);
    return MISSING;
  };
}

function truthOf(value: unknown): Code {
  return value === true ? TRUE : value === false ? FALSE : UNKNOWN;
}
