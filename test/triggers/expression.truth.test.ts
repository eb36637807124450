import { describe, expect, it } from 'vitest';
import { compileCondition, MISSING, type RootResolver, type Truth } from '../../triggers/expression/index.js';

const resolveRoot: RootResolver = (input, name) =>
  typeof input === 'object' && input !== null && Object.hasOwn(input, name) ? (input as Record<string, unknown>)[name] : MISSING;
/** A boolean field set to true/false, or absent for unknown. */
const field = (value: Truth): Record<string, unknown> => (value === undefined ? {} : { v: value });

// [left, right, AND, OR]: AND/OR per the fail-closed tables (OR with an unknown left is unknown).
const table: [Truth, Truth, Truth, Truth][] = [
  [true, true, true, true], [true, false, false, true], [true, undefined, undefined, true],
  [false, true, false, true], [false, false, false, false], [false, undefined, false, undefined],
  [undefined, true, undefined, undefined], [undefined, false, false, undefined], [undefined, undefined, undefined, undefined],
];

describe('three-valued logic', () => {
  it.each(table)('left %s, right %s → AND %s, OR %s', (l, r, and, or) => {
    const clean = { ...(l === undefined ? {} : { l }), ...(r === undefined ? {} : { r }) };
    expect(compileCondition('l AND r', resolveRoot).test(clean)).toBe(and);
    expect(compileCondition('l && r', resolveRoot).test(clean)).toBe(and);
    expect(compileCondition('l OR r', resolveRoot).test(clean)).toBe(or);
    expect(compileCondition('l || r', resolveRoot).test(clean)).toBe(or);
  });

  it.each([[true, false], [false, true], [undefined, undefined]] as const)('NOT %s → %s', (v, expected) => {
    expect(compileCondition('NOT v', resolveRoot).test(field(v))).toBe(expected);
    expect(compileCondition('!v', resolveRoot).test(field(v))).toBe(expected);
  });

  it('short-circuits: the right side is not read once the outcome is settled', () => {
    const reads: string[] = [];
    const counting: RootResolver = (input, name) => (reads.push(name), resolveRoot(input, name));
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['a AND b', { a: false, b: true }, ['a']], ['a OR b', { a: true, b: true }, ['a']],
      ['a OR b', { b: true }, ['a']], ['a AND b', { b: true }, ['a', 'b']], ['a == 1 AND b', { a: 2 }, ['a']],
    ];
    for (const [source, input, expected] of cases) {
      reads.length = 0;
      compileCondition(source, counting).test(input);
      expect(reads, source).toEqual(expected);
    }
  });

  it('a false reached after a missing field never turns into true', () => {
    const rows: [string, Record<string, unknown>, Truth][] = [
      ['missing == 1 AND f', { f: false }, false],
      ['NOT (missing == 1 AND f)', { f: false }, undefined],
      ['(missing == 1 AND f) OR t', { f: false, t: true }, undefined],
      ['(missing == 1 AND f) OR f', { f: false }, false],
      ['NOT ((missing == 1 AND f) OR f)', { f: false }, undefined],
      ['(missing == 1 AND f) == false', { f: false }, undefined],
      ["missing == 1 OR b == 2", { b: 2 }, undefined],
      ['(f AND missing == 1) OR t', { f: false, t: true }, true],
      ['NOT (f AND missing == 1)', { f: false }, true],
    ];
    for (const [source, input, expected] of rows) {
      const c = compileCondition(source, resolveRoot);
      expect(c.test(input), source).toBe(expected);
      const trace = c.trace(input);
      expect(trace.value, source).toBe(expected);
      if (trace.value === true) expect(trace.missing, source).toEqual([]);
    }
  });
});

describe('trace and paths', () => {
  it('lists the missing paths that were read, once each, in read order', () => {
    const c = compileCondition('a.b > 1 AND a.b < 9 AND c == 2 OR d', resolveRoot);
    expect(c.paths).toEqual(['a.b', 'c', 'd']);
    expect(c.trace({ c: 2 })).toEqual({ value: undefined, missing: ['a.b'] });
    expect(c.trace({ a: { b: 5 }, c: 2 })).toEqual({ value: true, missing: [] });
    expect(c.trace({ a: { b: 5 }, c: 3 })).toEqual({ value: undefined, missing: ['d'] });
    expect(c.trace({ a: { b: 5 }, c: 3, d: false })).toEqual({ value: false, missing: [] });
  });

  it('exposes source, kind and paths', () => {
    const c = compileCondition("x in [1] OR y.z == w", resolveRoot);
    expect(c).toMatchObject({ source: "x in [1] OR y.z == w", kind: 'condition', paths: ['x', 'y.z', 'w'] });
    expect(c.test({ x: 1 })).toBe(true);
  });
});
