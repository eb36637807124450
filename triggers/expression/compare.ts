/**
 * Comparison operators over evaluated values, total and allocation-free. Only strings, booleans,
 * null and finite numbers are comparable; anything else (missing, objects, NaN, bigint…) is unknown.
 */
import type { Literal } from './lexer.js';
import { FALSE, TRUE, UNKNOWN, type Code, type Evaluator, type Reader } from './values.js';

/** Strings, booleans, null and finite numbers take part in comparisons; anything else is unknown. */
export function isComparable(value: unknown): value is Literal {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || value === null || (type === 'number' && Number.isFinite(value));
}

/** The common `field <op> literal` case, specialised per operator so the hot path has no dispatch. */
export function compareWithLiteral(op: string, left: Reader, r: Literal): Evaluator {
  if (op === '==') return (input, sink) => { const l = left(input, sink); return l === r ? TRUE : isComparable(l) ? FALSE : UNKNOWN; };
  if (op === '!=') return (input, sink) => { const l = left(input, sink); return l === r ? FALSE : isComparable(l) ? TRUE : UNKNOWN; };
  const type = typeof r;
  if (type !== 'number' && type !== 'string') return () => UNKNOWN;
  const order = ORDER.get(op)!;
  return (input, sink) => {
    const l = left(input, sink);
    return typeof l !== type || (type === 'number' && !Number.isFinite(l)) ? UNKNOWN : order(l as never, r as never) ? TRUE : FALSE;
  };
}
const ORDER = new Map<string, (l: number | string, r: number | string) => boolean>([
  ['<', (l, r) => l < r], ['<=', (l, r) => l <= r], ['>', (l, r) => l > r], ['>=', (l, r) => l >= r],
]);

/** Any two evaluated operands (the right side is not a literal). */
export function compare(op: string, l: unknown, r: unknown): Code {
  if (!isComparable(l) || !isComparable(r)) return UNKNOWN;
  if (op === '==') return l === r ? TRUE : FALSE;
  if (op === '!=') return l === r ? FALSE : TRUE;
  if (!((typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string'))) return UNKNOWN;
  switch (op) {
    case '<': return l < r ? TRUE : FALSE;
    case '<=': return l <= r ? TRUE : FALSE;
    case '>': return l > r ? TRUE : FALSE;
    default: return l >= r ? TRUE : FALSE;
  }
}
