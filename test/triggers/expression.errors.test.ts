import { describe, expect, it } from 'vitest';
import { PolicyError, PolicyErrorCode as E } from '../../triggers/errors.js';
import { compileCondition, compileTrigger, MAX_DEPTH, MISSING } from '../../triggers/expression/index.js';

const resolveRoot = (input: unknown, name: string) =>
  typeof input === 'object' && input !== null && Object.hasOwn(input, name) ? (input as Record<string, unknown>)[name] : MISSING;

function failure(source: string): PolicyError {
  try {
    compileCondition(source, resolveRoot);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return error as PolicyError;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

const deep = '('.repeat(MAX_DEPTH + 1) + 'a' + ')'.repeat(MAX_DEPTH + 1);
const rows: [source: string, code: string, offset: number, message: string][] = [
  ['amount >> 5', E.ExprUnknownOperator, 7, 'unknown operator `>>`; did you mean `>`?'],
  ['a = 1', E.ExprUnknownOperator, 2, 'unknown operator `=`; did you mean `==`?'],
  ['a ===1', E.ExprUnknownOperator, 2, 'unknown operator `===`; did you mean `==`?'],
  ['a <> 1', E.ExprUnknownOperator, 2, 'unknown operator `<>`; did you mean `!=`?'],
  ['a => 1', E.ExprUnknownOperator, 2, 'unknown operator `=>`; did you mean `>=`?'],
  ['a !== 1', E.ExprUnknownOperator, 2, 'unknown operator `!==`; did you mean `!=`?'],
  ['a & b', E.ExprUnknownOperator, 2, 'unknown operator `&`; did you mean `&&` (or `AND`)?'],
  ['a - 1 > 0', E.ExprUnknownOperator, 2, 'unknown operator `-`'],
  ["'abc", E.ExprUnterminatedString, 0, "string starting with ' is never closed"],
  ['a == "abc', E.ExprUnterminatedString, 5, 'string starting with " is never closed'],
  ["a == 'ab\\'", E.ExprUnterminatedString, 5, "string starting with ' is never closed"],
  ['a >', E.ExprUnexpectedEnd, 3, 'the condition ends after `>` where a value was expected'],
  ['(a > 1', E.ExprUnexpectedEnd, 6, 'the condition ends after `1` where `)` to close the `(` at position 0 was expected'],
  ['a in [1,', E.ExprUnexpectedEnd, 8, 'the condition ends after `,` where a literal list item was expected'],
  ['a AND  ', E.ExprUnexpectedEnd, 5, 'the condition ends after `AND` where a value was expected'],
  ['', E.ExprEmpty, 0, 'the condition is empty'],
  ['   ', E.ExprEmpty, 0, 'the condition is empty'],
  ['a > 1)', E.ExprSyntax, 5, 'unexpected `)` with no matching `(`'],
  ['a > > 1', E.ExprSyntax, 4, 'expected a value but found `>`'],
  ['in [1,2]', E.ExprSyntax, 0, 'expected a value but found `in`'],
  ['a in [b]', E.ExprSyntax, 6, 'expected a literal list item but found `b`'],
  ['a in 1', E.ExprSyntax, 5, 'expected `[` to start the list after `in` but found `1`'],
  ['a in [1 2]', E.ExprSyntax, 8, 'expected `,` or `]` but found `2`'],
  ['1 < 2 < 3', E.ExprSyntax, 6, 'comparisons cannot be chained: `<` follows another comparison'],
  ['a == 1 in [1]', E.ExprSyntax, 7, 'comparisons cannot be chained: `in` follows another comparison'],
  ['a @ 1', E.ExprSyntax, 2, 'unexpected character `@`'],
  ['a == é', E.ExprSyntax, 5, 'unexpected character `é` (U+00E9)'],
  ['a b', E.ExprSyntax, 2, 'unexpected `b` after a complete condition'],
  ['NOT a == 1', E.ExprSyntax, 0, '`NOT` applies only to the value before `==`, not to the comparison'],
  ["!a not in ['x']", E.ExprSyntax, 0, '`!` applies only to the value before `not in`, not to the comparison'],
  ["a == 'x\\q'", E.ExprSyntax, 7, 'unknown escape `\\q` in a string'],
  ['5abc == 1', E.ExprSyntax, 0, '`5abc` is not a valid number'],
  ['a == 1.2.3', E.ExprSyntax, 5, '`1.2.3` is not a valid number'],
  ['a == 1' + '0'.repeat(400), E.ExprSyntax, 5, 'number is too large'],
  ['refund. == 1', E.ExprSyntax, 6, 'field name ends with `.`'],
  ['refund.* > 1', E.ExprSyntax, 7, '`*` is only allowed in action-name patterns'],
  [deep, E.ExprSyntax, MAX_DEPTH, `the condition is nested too deeply (more than ${MAX_DEPTH} levels of parentheses and NOT)`],
  ['NOT '.repeat(MAX_DEPTH + 1) + 'a', E.ExprSyntax, 4 * MAX_DEPTH, `the condition is nested too deeply (more than ${MAX_DEPTH} levels of parentheses and NOT)`],
];

describe('expression errors', () => {
  it.each(rows)('%j → %s at %i', (source, code, offset, message) => {
    const error = failure(source);
    expect({ code: error.code, offset: error.offset, message: error.message }).toEqual({ code, offset, message });
    expect(error.hint).toEqual(expect.any(String));
  });

  it('suggests the fix in the hint', () => {
    expect(failure('NOT a == 1').hint).toBe('write NOT (a == 1) to negate the comparison');
    expect(failure("'abc").hint).toBe("end the string with a matching '; write \\' for a ' inside it");
    expect(failure('a = 1').hint).toContain('== != < <= > >=');
  });

  it('accepts nesting up to the limit and long flat chains', () => {
    const ok = '('.repeat(MAX_DEPTH) + 'a' + ')'.repeat(MAX_DEPTH);
    expect(compileCondition(ok, resolveRoot).test({ a: true })).toBe(true);
    const chain = Array.from({ length: 20_000 }, (_, i) => `a${i} == ${i}`).join(' AND ');
    const input = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`a${i}`, i]));
    expect(compileCondition(chain, resolveRoot).test(input)).toBe(true);
  });

  it('compileTrigger reports condition errors the same way', () => {
    const error = (() => { try { compileTrigger('refund.amount >> 5', { resolveRoot, actionOf: () => '' }); } catch (e) { return e; } })();
    expect(error).toMatchObject({ code: E.ExprUnknownOperator, offset: 14 });
  });
});
