import { describe, expect, it } from 'vitest';
import { compileCondition, MISSING, type RootResolver, type Truth } from '../../triggers/expression/index.js';

/** Reads own properties of the input object, like the engine's params resolver. */
const resolveRoot: RootResolver = (input, name) =>
  typeof input === 'object' && input !== null && Object.hasOwn(input, name) ? (input as Record<string, unknown>)[name] : MISSING;
const run = (source: string, input: unknown): Truth => compileCondition(source, resolveRoot).test(input);

type Row = [source: string, input: Record<string, unknown>, expected: Truth];

const operators: Row[] = [
  ['a == 1', { a: 1 }, true], ['a == 1', { a: 2 }, false], ['a == 1', { a: '1' }, false], ['a == 1', {}, undefined],
  ['a != 1', { a: 2 }, true], ['a != 1', { a: 1 }, false], ['a != 1', { a: '1' }, true], ['a != 1', {}, undefined],
  ['a < 5', { a: 4 }, true], ['a < 5', { a: 5 }, false], ['a <= 5', { a: 5 }, true], ['a <= 5', { a: 6 }, false],
  ['a > 5', { a: 6 }, true], ['a > 5', { a: 5 }, false], ['a >= 5', { a: 5 }, true], ['a >= 5', { a: 4.99 }, false],
  ["a < 'b'", { a: 'a' }, true], ["a >= 'b'", { a: 'a' }, false], ["a > 'B'", { a: 'a' }, true],
  ['a > 5', { a: '6' }, undefined], ['a > 5', { a: true }, undefined], ['a > 5', { a: null }, undefined],
  ['a > 5', { a: Number.NaN }, undefined], ['a > 5', { a: Infinity }, undefined], ["a > 'x'", { a: 5 }, undefined],
  ['a == null', { a: null }, true], ['a == null', { a: 0 }, false], ['a == null', {}, undefined], ['a != null', { a: 'x' }, true],
  ['a == true', { a: true }, true], ['a == true', { a: 1 }, false], ['a == false', { a: 0 }, false],
  ['a == 1', { a: [1] }, undefined], ['a == 1', { a: { b: 1 } }, undefined], ['a != 1', { a: [] }, undefined],
  ['a == b', { a: 1, b: 1 }, true], ['a == b', { a: 1, b: 2 }, false], ['a < b', { a: 1, b: 2 }, true], ['a == b', { a: 1 }, undefined],
  ['a == 1', { a: undefined }, undefined], ['a == 1', { a: 1n }, undefined], ['a == 0', { a: -0 }, true],
];
const literals: Row[] = [
  ['a == -5', { a: -5 }, true], ['a > -5.5', { a: -5 }, true], ['a == 0.25', { a: 0.25 }, true], ['a == 007', { a: 7 }, true],
  ["a == 'it\\'s'", { a: "it's" }, true], ['a == "say \\"hi\\""', { a: 'say "hi"' }, true], ["a == 'x\\ny\\tz'", { a: 'x\ny\tz' }, true],
  ["a == 'back\\\\slash'", { a: 'back\\slash' }, true], ['a == "it\'s"', { a: "it's" }, true], ["a == ''", { a: '' }, true],
  ['a == TRUE', { a: true }, true], ['a == False', { a: false }, true], ['a == NULL', { a: null }, true],
  ['true', {}, true], ['FALSE', {}, false], ['null', {}, undefined], ['5', {}, undefined], ["'x'", {}, undefined],
  ['flag', { flag: true }, true], ['flag', { flag: false }, false], ['flag', { flag: 1 }, undefined], ['flag', {}, undefined],
];
const logic: Row[] = [
  ['a == 1 AND b == 2', { a: 1, b: 2 }, true], ['a == 1 and b == 2', { a: 1, b: 3 }, false], ['a == 1 && b == 2', { a: 0, b: 2 }, false],
  ['a == 1 OR b == 2', { a: 0, b: 2 }, true], ['a == 1 or b == 2', { a: 0, b: 0 }, false], ['a == 1 || b == 2', { a: 1 }, true],
  ['NOT flag OR b', { b: true }, undefined], ['NOT (a == 1)', { a: 2 }, true], ['not (a == 1)', { a: 1 }, false], ['!(a == 1)', { a: 2 }, true],
  ['!flag', { flag: false }, true], ['!!flag', { flag: true }, true], ['Not flag', {}, undefined], ['a == !flag', { a: false, flag: true }, true],
  ['(NOT flag) == true', { flag: false }, true], ['(a > 1) == (b > 1)', { a: 2, b: 3 }, true], ['(a > 1) == true', {}, undefined],
  // precedence: NOT > comparison > AND > OR
  ['a == 1 OR b == 1 AND c == 1', { a: 1, b: 0, c: 0 }, true], ['(a == 1 OR b == 1) AND c == 1', { a: 1, b: 0, c: 0 }, false],
  ['a == 1 AND b == 1 OR c == 1', { a: 0, c: 1 }, true], ['NOT flag AND a == 1', { flag: false, a: 1 }, true],
  ['NOT flag OR a == 1', { flag: true, a: 1 }, true], ['NOT (flag OR a == 1)', { flag: false, a: 1 }, false],
  ['a == 1 aNd b == 2 Or c == 3', { c: 3 }, undefined], ['c == 3 OR a == 1 AND b == 2', { c: 3 }, true],
];
const membership: Row[] = [
  ["a in ['x', 'y']", { a: 'y' }, true], ["a in ['x', 'y']", { a: 'z' }, false], ['a in [1, 2]', { a: '1' }, false],
  ['a IN [1, -2.5, null, true]', { a: -2.5 }, true], ['a in [1, null]', { a: null }, true], ['a in []', { a: 1 }, false],
  ["a not in ['x']", { a: 'y' }, true], ["a NOT IN ['x']", { a: 'x' }, false], ["a not in ['x']", {}, undefined],
  ['a in [1]', {}, undefined], ['a in [1]', { a: [1] }, undefined], ['a not in [1]', { a: { 0: 1 } }, undefined],
  ["a in ['x'] AND b not in [1]", { a: 'x', b: 2 }, true], ['5 in [5]', {}, true],
];
const blueprints: Row[] = [
  ['refund.amount > 50', { refund: { amount: 51 } }, true], ['refund.amount > 50', { refund: { amount: 50 } }, false],
  ['refund.amount > 50', { refund: {} }, undefined], ['refund.amount > 50', { refund: { amount: '75' } }, undefined],
  ["threat_score >= 90 AND source == 'known-malicious'", { threat_score: 95, source: 'known-malicious' }, true],
  ["threat_score >= 90 AND source == 'known-malicious'", { threat_score: 89, source: 'known-malicious' }, false],
  ["threat_score >= 90 AND source == 'known-malicious'", { threat_score: 95 }, undefined],
  ["threat_score >= 90 AND source == 'known-malicious'", { source: 'other' }, false],
  ['threat_score >= 70', { threat_score: 70 }, true], ['threat_score >= 70', { threat_score: 69.9 }, false],
  ["environment == 'staging'", { environment: 'staging' }, true], ["environment == 'staging'", { environment: 'Staging' }, false],
  ["environment == 'production' AND factor <= 2", { environment: 'production', factor: 2 }, true],
  ["environment == 'production' AND factor <= 2", { environment: 'production', factor: 3 }, false],
  ["environment == 'production' AND factor <= 2", { environment: 'staging' }, false],
  ["environment == 'production' AND factor <= 2", { environment: 'production' }, undefined],
  ["environment == 'production' AND factor > 2", { environment: 'production', factor: 3 }, true],
  ["environment == 'production' AND factor > 2", { environment: 'production', factor: 2 }, false],
];
const ownProperties: Row[] = [
  ['refund.constructor == null', { refund: {} }, undefined], ['refund.__proto__ == null', { refund: {} }, undefined],
  ['refund.toString == null', { refund: {} }, undefined], ['refund.hasOwnProperty == null', { refund: {} }, undefined],
  ['name.length == 3', { name: 'abc' }, undefined], ['constructor == null', {}, undefined], ['__proto__ == null', {}, undefined],
  ['a.b.c == 1', { a: { b: { c: 1 } } }, true], ['a.b.c == 1', { a: { b: 1 } }, undefined], ['a.b.c == 1', { a: null }, undefined],
  ['items.0 == 1', { items: [1] }, true], ['items.1 == 1', { items: [1] }, undefined],
  ['a.__proto__ == 1', { a: JSON.parse('{"__proto__": 1}') }, true], ['a.b == 1', { a: Object.create({ b: 1 }) }, undefined],
];

describe('expression evaluation', () => {
  const tables = { operators, literals, logic, membership, blueprints, ownProperties };
  for (const [name, rows] of Object.entries(tables)) {
    it.each(rows)(`${name}: %s with %o → %s`, (source, input, expected) => {
      const compiled = compileCondition(source, resolveRoot);
      expect(compiled.test(input)).toBe(expected);
      expect(compiled.trace(input).value).toBe(expected);
    });
  }
});
