import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../triggers/errors.js';
import { compileCondition, compileTrigger, MISSING, type CompiledCondition } from '../../triggers/expression/index.js';

const resolveRoot = (input: unknown, name: string) =>
  typeof input === 'object' && input !== null && Object.hasOwn(input, name) ? (input as Record<string, unknown>)[name] : MISSING;
// Deliberately passes non-strings through: a pattern must treat them as unknown, not throw.
const actionOf = (input: unknown) => (typeof input === 'object' && input !== null ? (input as { action?: unknown }).action : input) as string;
const options = { resolveRoot, actionOf };

/** Compiles, returning undefined on a PolicyError and rethrowing anything else. */
function tryCompile(source: string, as: 'condition' | 'trigger'): CompiledCondition | undefined {
  try {
    return as === 'condition' ? compileCondition(source, resolveRoot) : compileTrigger(source, options);
  } catch (error) {
    if (error instanceof PolicyError && error.code.startsWith('expr-') && typeof error.offset === 'number'
      && error.offset >= 0 && error.offset <= source.length && typeof error.hint === 'string') return undefined;
    throw error;
  }
}

const TOKENS = ['a', 'b.c', 'refund.amount', '__proto__', 'constructor', 'x.length', 'toString', '1', '-2.5', "'s'", '"d"',
  "'", '"', '\\', 'true', 'FALSE', 'null', '==', '!=', '<', '<=', '>', '>=', '=', '===', '>>', '<>', '=>', '!', '&&', '||',
  'AND', 'or', 'Not', 'in', 'not in', '[', ']', ',', '(', ')', '*', '.', '-', '@', 'é', ' '];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).chain((parts) =>
  fc.constantFrom(parts.join(' '), parts.join('')));

const FIELDS = ['a', 'b', 'c', 'a.b', 'a.b.c', '__proto__', 'constructor', 'a.toString', 'a.length', 'a.0', 'hasOwnProperty'];
const literal = fc.oneof(fc.integer({ min: -2, max: 2 }).map(String), fc.constantFrom("'x'", '"y"', 'true', 'false', 'null', '0.5'));
const operand = fc.oneof(fc.constantFrom(...FIELDS), literal);
const leaf = fc.oneof(
  fc.constantFrom(...FIELDS),
  fc.tuple(operand, fc.constantFrom('==', '!=', '<', '<=', '>', '>='), operand).map((p) => p.join(' ')),
  fc.tuple(operand, fc.constantFrom('in', 'not in', 'IN'), fc.array(literal, { maxLength: 3 })).map(([l, op, xs]) => `${l} ${op} [${xs.join(', ')}]`),
);
/** Up to three levels of `NOT`/parenthesised groups of 1–4 operands joined by AND/OR in any spelling. */
const group = (inner: fc.Arbitrary<string>) =>
  fc.tuple(fc.array(fc.tuple(fc.constantFrom('AND', 'OR', '&&', '||', 'and', 'Or'), inner), { maxLength: 3 }), inner, fc.constantFrom('', 'NOT ', '!'))
    .map(([rest, first, not]) => `${not}(${[first, ...rest.map(([op, c]) => `${op} ${c}`)].join(' ')})`);
const condition = fc.oneof(leaf, group(leaf), group(group(leaf)), group(group(group(leaf))));

// Small scalars so generated comparisons are often true, often false and often missing.
const scalar = fc.constantFrom<unknown>(-2, -1, 0, 1, 2, 0.5, 'x', 'y', true, false, null);
const jsonValue = fc.oneof({ weight: 3, arbitrary: scalar }, fc.jsonValue({ maxDepth: 3 }));
const fieldObject = (value: fc.Arbitrary<unknown>) => fc.dictionary(fc.constantFrom('a', 'b', 'c', 'b.c', '0', 'length'), value, { maxKeys: 4 });
const protoKeyed = jsonValue.map((v) => JSON.parse(`{"__proto__": ${JSON.stringify(v) ?? 'null'}, "constructor": 1}`) as unknown);
const inputs = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS, 'hasOwnProperty'), fc.oneof(jsonValue, fieldObject(jsonValue), protoKeyed, fieldObject(fieldObject(jsonValue)))),
  fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
  jsonValue, protoKeyed,
);

function checkEvaluation(compiled: CompiledCondition, input: unknown): void {
  const value = compiled.test(input);
  const trace = compiled.trace(input);
  expect(trace.value).toBe(value);
  expect([true, false, undefined]).toContain(value);
  if (value === true) expect(trace.missing).toEqual([]);
}

describe('expression properties', () => {
  it('arbitrary strings only ever throw PolicyError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), tokenSoup), (source) => {
      tryCompile(source, 'condition');
      tryCompile(source, 'trigger');
    }), { numRuns: 3000 });
  });

  it('generated conditions compile, and evaluation is total, consistent and fail-closed', () => {
    fc.assert(fc.property(condition, fc.array(inputs, { minLength: 1, maxLength: 5 }), (source, samples) => {
      const compiled = compileCondition(source, resolveRoot);
      for (const input of samples) checkEvaluation(compiled, input);
    }), { numRuns: 1500 });
  });

  it('whatever compiles from token soup evaluates without throwing', () => {
    fc.assert(fc.property(tokenSoup, fc.array(inputs, { maxLength: 3 }), (source, samples) => {
      const compiled = tryCompile(source, 'trigger');
      if (compiled !== undefined) for (const input of [source, ...samples]) checkEvaluation(compiled, input);
    }), { numRuns: 1500 });
  });
});
