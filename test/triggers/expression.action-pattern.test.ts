import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../triggers/errors.js';
import { compileActionPattern, compileTrigger, MISSING } from '../../triggers/expression/index.js';

const options = {
  resolveRoot: (input: unknown, name: string) =>
    typeof input === 'object' && input !== null && Object.hasOwn(input, name) ? (input as Record<string, unknown>)[name] : MISSING,
  actionOf: (input: unknown) => (input as { action: string }).action,
};

const rows: [pattern: string, action: string, matches: boolean][] = [
  ['account.modify', 'account.modify', true], ['account.modify', 'account.modifyx', false], ['account.modify', 'account', false],
  ['escalate.to-human', 'escalate.to-human', true], ['escalate.to-human', 'escalate.to_human', false],
  ['email.send.first-contact', 'email.send.first-contact', true], ['email.send.first-contact', 'email.send', false],
  ['block-ip', 'block-ip', true], ['refund.*', 'refund.full', true], ['refund.*', 'refund.a.b', true],
  ['refund.*', 'refund', false], ['refund.*', 'refunds.full', false], ['*', 'anything.at.all', true], ['*', '', true],
  ['*.delete', 'db.table.delete', true], ['*.delete', 'delete', false], ['a.*.c', 'a.b.c', true], ['a.*.c', 'a.x.y.c', true],
  ['a.*.c', 'a.c', false], ['*-ip', 'block-ip', true], ['a**b', 'axyb', true], ['*a*a*a*b', 'a'.repeat(20), false], ['*a*a*a*b', 'aaab', true],
  ['scale.horizontal', 'Scale.horizontal', false],
];

describe('action patterns', () => {
  it.each(rows)('%s vs %s → %s', (pattern, action, matches) => {
    expect(compileActionPattern(pattern)(action)).toBe(matches);
    const trigger = compileTrigger(pattern, options);
    expect(trigger).toMatchObject({ kind: 'action-pattern', paths: [], source: pattern });
    expect(trigger.test({ action })).toBe(matches);
    expect(trigger.trace({ action })).toEqual({ value: matches, missing: [] });
  });

  it('classifies triggers: no operator → pattern, keyword literals and operators → condition', () => {
    const kind = (source: string) => compileTrigger(source, options).kind;
    for (const source of ['account.modify', '  refund.*  ', 'flag', '*', 'a-b']) expect(kind(source), source).toBe('action-pattern');
    for (const source of ['true', 'FALSE', 'Null', 'refund.amount > 50', 'NOT flag', '(flag)', "a in ['x']"]) {
      expect(kind(source), source).toBe('condition');
    }
  });

  it('is unknown when the action is not a string', () => {
    const trigger = compileTrigger('refund.*', options);
    expect(trigger.test({ action: 5 })).toBeUndefined();
    expect(trigger.trace({})).toEqual({ value: undefined, missing: ['action'] });
  });

  it('rejects an empty pattern', () => {
    expect(() => compileActionPattern('')).toThrow(PolicyError);
  });
});
