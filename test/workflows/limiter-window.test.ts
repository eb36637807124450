/**
 * The limiter's window arithmetic (workflows/limiter/window.ts), table-driven with explicit times:
 * the exact edges (the 31st action inside a minute, the 1st of the next; the 11th remediation in an
 * hour; a remediation 59 s after the last vs 60 s) are tested here, where time is an input.
 */
import { describe, expect, it } from 'vitest';
import { acquire, emptyState, evaluate, isEmpty, prune, quietAt, toRetryAfterSeconds } from '../../workflows/limiter/window.js';
import { type Limits, type PermitKind, type WindowState } from '../../core/index.js';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

/** security-ops: 30 actions/minute, 10 remediations/hour, 60 s cooldown. */
const SECURITY_OPS: Limits = { maxActions: 30, actionWindowMs: MIN, maxRemediations: 10, remediationWindowMs: HOUR, cooldownMs: 60 * S };
const ACTIONS_ONLY: Limits = { maxActions: 30, actionWindowMs: MIN, maxRemediations: null, remediationWindowMs: HOUR, cooldownMs: null };
const REMEDIATIONS_ONLY: Limits = { maxActions: null, actionWindowMs: MIN, maxRemediations: 10, remediationWindowMs: HOUR, cooldownMs: null };

let seq = 0;
function run(state: WindowState, limits: Limits, steps: [number, PermitKind][]) {
  return steps.map(([at, kind]) => acquire(state, { kind, requestId: `r${++seq}`, limits }, at));
}
const times = (n: number, at: (i: number) => number, kind: PermitKind = 'action'): [number, PermitKind][] =>
  Array.from({ length: n }, (_, i) => [at(i), kind]);

interface Case {
  name: string;
  limits: Limits;
  before: [number, PermitKind][];
  at: number;
  kind: PermitKind;
  granted: boolean;
  retryAfterMs?: number;
  retryAfter?: number;
  limit?: string;
}

const cases: Case[] = [
  // maxActionsPerMinute: 30 at t=0
  { name: '31st action at 59.999 s after 30 at 0 → blocked 1 ms', limits: ACTIONS_ONLY, before: times(30, () => 0), at: MIN - 1, kind: 'action', granted: false, retryAfterMs: 1, retryAfter: 1, limit: 'maxActionsPerMinute' },
  { name: '31st action right away → blocked for the minute', limits: ACTIONS_ONLY, before: times(30, () => 0), at: 0, kind: 'action', granted: false, retryAfterMs: MIN, retryAfter: 60, limit: 'maxActionsPerMinute' },
  { name: '1st action of the next minute (60 s) → granted', limits: ACTIONS_ONLY, before: times(30, () => 0), at: MIN, kind: 'action', granted: true },
  { name: '30th action inside the minute → granted', limits: ACTIONS_ONLY, before: times(29, () => 0), at: 59 * S, kind: 'action', granted: true },
  // sliding: 30 spread over 0..29 s; at 30 s blocked until the one at 0 leaves (60 s)
  { name: 'sliding: 30 over 0..29 s, 31st at 30 s → retry after 30 s', limits: ACTIONS_ONLY, before: times(30, (i) => i * S), at: 30 * S, kind: 'action', granted: false, retryAfterMs: 30 * S, limit: 'maxActionsPerMinute' },
  { name: 'sliding: at 60 s the one at 0 has left → granted', limits: ACTIONS_ONLY, before: times(30, (i) => i * S), at: MIN, kind: 'action', granted: true },
  { name: 'sliding: after that, at 60.5 s → blocked until 61 s', limits: ACTIONS_ONLY, before: [...times(30, (i) => i * S), [MIN, 'action']], at: MIN + 500, kind: 'action', granted: false, retryAfterMs: 500, retryAfter: 1 },
  // remediations count toward maxActions too
  { name: '30 remediations then an action → blocked (maxActions)', limits: ACTIONS_ONLY, before: times(30, () => 0, 'remediation'), at: 10 * S, kind: 'action', granted: false, retryAfterMs: 50 * S, limit: 'maxActionsPerMinute' },
  // maxRemediationsPerHour, with the cooldown respected (one per minute)
  { name: '11th remediation in the hour → blocked until the 1st leaves', limits: SECURITY_OPS, before: times(10, (i) => i * MIN, 'remediation'), at: 10 * MIN, kind: 'remediation', granted: false, retryAfterMs: 50 * MIN, retryAfter: 3000, limit: 'maxRemediationsPerHour' },
  { name: '11th remediation at 1 h → granted', limits: SECURITY_OPS, before: times(10, (i) => i * MIN, 'remediation'), at: HOUR, kind: 'remediation', granted: true },
  { name: '11th remediation, no cooldown, same instant → blocked 1 h', limits: REMEDIATIONS_ONLY, before: times(10, () => 0, 'remediation'), at: 0, kind: 'remediation', granted: false, retryAfterMs: HOUR, limit: 'maxRemediationsPerHour' },
  { name: 'remediation limit does not hold ordinary actions', limits: REMEDIATIONS_ONLY, before: times(10, () => 0, 'remediation'), at: 0, kind: 'action', granted: true },
  // cooldownAfterRemediation: 60 s
  { name: 'remediation 59 s after the last → blocked 1 s', limits: SECURITY_OPS, before: [[0, 'remediation']], at: 59 * S, kind: 'remediation', granted: false, retryAfterMs: S, retryAfter: 1, limit: 'cooldownAfterRemediation' },
  { name: 'remediation 59.999 s after the last → blocked 1 ms', limits: SECURITY_OPS, before: [[0, 'remediation']], at: 60 * S - 1, kind: 'remediation', granted: false, retryAfterMs: 1, retryAfter: 1, limit: 'cooldownAfterRemediation' },
  { name: 'remediation 60 s after the last → granted', limits: SECURITY_OPS, before: [[0, 'remediation']], at: 60 * S, kind: 'remediation', granted: true },
  { name: 'remediation 1 s after the last → blocked 59 s', limits: SECURITY_OPS, before: [[0, 'remediation']], at: S, kind: 'remediation', granted: false, retryAfterMs: 59 * S, retryAfter: 59 },
  { name: 'cooldown does not hold ordinary actions', limits: SECURITY_OPS, before: [[0, 'remediation']], at: S, kind: 'action', granted: true },
  { name: 'ordinary actions do not start a cooldown', limits: SECURITY_OPS, before: [[0, 'action']], at: S, kind: 'remediation', granted: true },
  // the longest hold wins: cooldown (59 s) vs full minute (60 s → 30 s left)
  { name: 'several limits hold → retry after the longest', limits: SECURITY_OPS, before: [[0, 'remediation'], ...times(29, () => 30 * S)], at: 30 * S, kind: 'remediation', granted: false, retryAfterMs: 30 * S, limit: 'maxActionsPerMinute' },
  { name: 'cooldown longer than the action window hold', limits: SECURITY_OPS, before: [...times(29, () => 0), [50 * S, 'remediation']], at: 55 * S, kind: 'remediation', granted: false, retryAfterMs: 55 * S, limit: 'cooldownAfterRemediation' },
];

describe('limiter window arithmetic', () => {
  it.each(cases)('$name', (c) => {
    const state = emptyState();
    const before = run(state, c.limits, c.before);
    expect(before.every((g) => g.granted)).toBe(true);
    const g = acquire(state, { kind: c.kind, requestId: `case-${++seq}`, limits: c.limits }, c.at);
    expect(g.granted).toBe(c.granted);
    if (c.granted) expect(g).toMatchObject({ retryAfterMs: 0, retryAfter: 0 });
    if (c.retryAfterMs !== undefined) expect(g.retryAfterMs).toBe(c.retryAfterMs);
    if (c.retryAfter !== undefined) expect(g.retryAfter).toBe(c.retryAfter);
    if (c.limit !== undefined) expect(g.limit).toBe(c.limit);
    if (!c.granted) expect(g.reason).toMatch(/reached|cooldown/);
  });

  it('a blocked request consumes nothing; waiting retryAfter is enough', () => {
    const state = emptyState();
    run(state, SECURITY_OPS, times(30, () => 0));
    let last = acquire(state, { kind: 'action', requestId: 'x0', limits: SECURITY_OPS }, 10 * S);
    for (let i = 1; i < 50; i++) last = acquire(state, { kind: 'action', requestId: `x${i}`, limits: SECURITY_OPS }, 10 * S + i);
    expect(last.granted).toBe(false);
    expect(state.actions).toHaveLength(30);
    const after = acquire(state, { kind: 'action', requestId: 'y', limits: SECURITY_OPS }, 10 * S + 49 + last.retryAfterMs);
    expect(after.granted).toBe(true);
    expect(state.actions).toEqual([10 * S + 49 + last.retryAfterMs]);
  });

  it('a remediation blocked by the cooldown does not consume an action permit either (all or nothing)', () => {
    const state = emptyState();
    run(state, SECURITY_OPS, [[0, 'remediation']]);
    expect(acquire(state, { kind: 'remediation', requestId: 'b', limits: SECURITY_OPS }, S).granted).toBe(false);
    expect(state.actions).toEqual([0]);
    expect(state.remediations).toEqual([0]);
    expect(state.lastRemediationAt).toBe(0);
  });

  it('is idempotent per requestId: a repeat is answered from memory and consumes nothing', () => {
    const state = emptyState();
    const first = acquire(state, { kind: 'remediation', requestId: 'same', limits: SECURITY_OPS }, 0);
    const again = acquire(state, { kind: 'remediation', requestId: 'same', limits: SECURITY_OPS }, 5 * S);
    expect(first).toMatchObject({ granted: true });
    expect(first.duplicate).toBeUndefined();
    expect(again).toMatchObject({ granted: true, duplicate: true });
    expect(state.actions).toEqual([0]);
    // a blocked one is remembered as blocked too
    const blocked = acquire(state, { kind: 'remediation', requestId: 'other', limits: SECURITY_OPS }, 10 * S);
    expect(blocked.granted).toBe(false);
    expect(acquire(state, { kind: 'remediation', requestId: 'other', limits: SECURITY_OPS }, 70 * S)).toMatchObject({ granted: false, duplicate: true });
  });

  it('forgets requestIds after rememberMs and beyond maxRemembered', () => {
    const memory = { rememberMs: 10 * S, maxRemembered: 3 };
    const state = emptyState();
    for (let i = 0; i < 5; i++) acquire(state, { kind: 'action', requestId: `m${i}`, limits: SECURITY_OPS }, i, memory);
    expect(state.remembered.map((r) => r.id)).toEqual(['m2', 'm3', 'm4']);
    prune(state, 10 * S + 3, memory);
    expect(state.remembered.map((r) => r.id)).toEqual(['m4']);
  });

  it('prunes to nothing once every window has passed; quietAt says when', () => {
    const memory = { rememberMs: 5 * S, maxRemembered: 100 };
    const state = emptyState();
    acquire(state, { kind: 'remediation', requestId: 'q', limits: SECURITY_OPS }, 1000, memory);
    expect(quietAt(state, memory)).toBe(1000 + HOUR);
    prune(state, 1000 + HOUR - 1, memory);
    expect(isEmpty(state)).toBe(false);
    prune(state, 1000 + HOUR, memory);
    expect(isEmpty(state)).toBe(true);
  });

  it('evaluate does not change the state', () => {
    const state = emptyState();
    run(state, SECURITY_OPS, [[0, 'remediation']]);
    const copy = structuredClone(state);
    evaluate(state, SECURITY_OPS, 'remediation', S);
    evaluate(state, SECURITY_OPS, 'action', S);
    expect(state).toEqual(copy);
  });

  it('retryAfter is whole seconds rounded up, at least 1', () => {
    expect([0, 1, 999, 1000, 1001, 59_000].map(toRetryAfterSeconds)).toEqual([0, 1, 1, 1, 2, 59]);
  });
});
