/** The pure parts of the approval workflow, without Temporal: counting rules, timers, limits. */
import { describe, expect, it } from 'vitest';
import { slaStart, type DecisionInput } from '../../core/index.js';
import { decisionInputProblem, evaluateDecision, type TallyView } from '../../workflows/approval/rules.js';
import { initialState, MAX_HISTORY, MAX_REFUSED_LOGGED_PER_APPROVER, MAX_REFUSED_LOGGED_TOTAL, RefusalBudget, record } from '../../workflows/approval/state.js';
import { dueAt, formatSeconds, makeSchedule, nextWakeAt, remindersAfter } from '../../workflows/approval/timers.js';
import { approvalInput } from './harness.js';

const view = (over: Partial<TallyView> = {}): TallyView => ({
  status: 'pending',
  agent: 'agent-1',
  eligible: ['alice', 'bob', 'carol', 'agent-1'],
  requestHash: 'h1',
  quorum: 2,
  approvedBy: [],
  deniedBy: null,
  decidedBy: null,
  ...over,
});
const d = (approverId: string, decision: 'approve' | 'deny' = 'approve', extra: Partial<DecisionInput> = {}): DecisionInput => ({
  approverId,
  decision,
  via: 'web',
  ...extra,
});

describe('evaluateDecision', () => {
  it.each([
    ['first approval of 2 counts, still pending', view(), d('alice'), { kind: 'counted', status: 'pending' }],
    ['second distinct approval reaches quorum', view({ approvedBy: ['alice'] }), d('bob'), { kind: 'counted', status: 'approved', message: 'approved (2 of 2)' }],
    ['same person twice counts once', view({ approvedBy: ['alice'] }), d('alice'), { kind: 'duplicate', message: 'alice already approved; the same person counts once (1 of 2)' }],
    ['one deny denies', view({ approvedBy: ['alice'] }), d('bob', 'deny'), { kind: 'counted', status: 'denied' }],
    ['the agent cannot approve its own request', view(), d('agent-1'), { kind: 'refused', code: 'self-approval' }],
    ['non-member refused', view(), d('mallory'), { kind: 'refused', code: 'not-eligible', message: 'mallory is not an approver for this request' }],
    ['non-member deny refused too', view(), d('mallory', 'deny'), { kind: 'refused', code: 'not-eligible' }],
    ['hash mismatch refused', view(), d('alice', 'approve', { requestHash: 'h2' }), { kind: 'refused', code: 'request-hash-mismatch', message: 'this approval was for a different request' }],
    ['matching hash counts', view({ quorum: 1 }), d('alice', 'approve', { requestHash: 'h1' }), { kind: 'counted', status: 'approved' }],
    ['after approval: already approved by whom', view({ status: 'approved', approvedBy: ['alice'], decidedBy: 'alice' }), d('bob', 'deny'), { kind: 'refused', code: 'already-decided', message: 'this request was already approved by alice' }],
    ['after approval: the approver again is a duplicate', view({ status: 'approved', approvedBy: ['alice'], decidedBy: 'alice' }), d('alice'), { kind: 'duplicate' }],
    ['after a deny', view({ status: 'denied', deniedBy: 'bob', decidedBy: 'bob' }), d('alice'), { kind: 'refused', message: 'this request was already denied by bob' }],
    ['after expiry', view({ status: 'expired', decidedBy: 'system' }), d('alice'), { kind: 'refused', message: 'this request already expired: nobody decided within the SLA' }],
    ['after a policy deny', view({ status: 'denied', decidedBy: 'system' }), d('alice'), { kind: 'refused', message: 'this request was already denied by the policy' }],
  ] as const)('%s', (_name, v, input, expected) => {
    expect(evaluateDecision(v, input)).toMatchObject(expected);
  });
});

describe('decisionInputProblem', () => {
  it.each([
    [null, 'a decision must be an object'],
    [{ decision: 'approve', via: 'web' }, 'approverId must be a non-empty string'],
    [{ approverId: ' ', decision: 'approve', via: 'web' }, 'approverId must be a non-empty string'],
    [{ approverId: 'a'.repeat(201), decision: 'approve', via: 'web' }, 'approverId is longer than 200 characters'],
    [{ approverId: 'alice', decision: 'yes', via: 'web' }, 'decision must be "approve" or "deny"'],
    [{ approverId: 'alice', decision: 'deny', via: 'web', reason: 5 }, 'reason must be a string'],
    [{ approverId: 'alice', decision: 'deny', reason: 'x' }, 'via must name the channel the answer came from'],
    [{ approverId: 'alice', decision: 'deny', via: 'web', requestHash: 1 }, 'requestHash must be a string'],
    [{ approverId: 'alice', decision: 'deny', via: 'web', reason: 'ok', requestHash: 'h' }, null],
  ])('%j → %s', (input, problem) => {
    expect(decisionInputProblem(input)).toBe(problem);
  });
});

describe('timers', () => {
  const route = { slaSeconds: 10, remindEverySeconds: 3, escalateAfterSeconds: 5 };
  const s = makeSchedule(1_000, route, true);

  it('wakes for reminders, escalation and the deadline in order', () => {
    expect(s).toEqual({ start: 1_000, deadline: 11_000, remindEvery: 3_000, escalateAt: 6_000 });
    expect(nextWakeAt(s, { remindersSent: 0, escalated: false })).toBe(4_000);
    expect(dueAt(s, { remindersSent: 0, escalated: false }, 4_000)).toEqual(['remind']);
    expect(nextWakeAt(s, { remindersSent: 1, escalated: false })).toBe(6_000);
    expect(dueAt(s, { remindersSent: 1, escalated: false }, 7_000)).toEqual(['escalate', 'remind']);
    expect(nextWakeAt(s, { remindersSent: 2, escalated: true })).toBe(10_000);
    expect(nextWakeAt(s, { remindersSent: 3, escalated: true })).toBe(11_000);
    expect(dueAt(s, { remindersSent: 3, escalated: true }, 11_000)).toEqual(['expire']);
  });

  it('overdue reminders collapse into one', () => {
    expect(remindersAfter(s, 10_500)).toBe(3);
    expect(dueAt(s, { remindersSent: 3, escalated: true }, 10_600)).toEqual([]);
  });

  it('no escalation at or after the deadline, none without escalation approvers', () => {
    expect(makeSchedule(0, { slaSeconds: 5, remindEverySeconds: null, escalateAfterSeconds: 5 }, true).escalateAt).toBeNull();
    expect(makeSchedule(0, route, false).escalateAt).toBeNull();
  });

  it.each([[0, '0s'], [2, '2s'], [90, '1m30s'], [3600, '1h'], [90061, '1d1h1m1s']])('formatSeconds(%i) = %s', (n, text) => {
    expect(formatSeconds(n)).toBe(text);
  });
});

describe('limits', () => {
  it('history keeps the last entries and counts the dropped ones', () => {
    const state = initialState(approvalInput());
    for (let i = 0; i < MAX_HISTORY + 25; i++) record(state, { event: 'refused', who: `x${i}`, at: i });
    expect(state.history).toHaveLength(MAX_HISTORY);
    expect(state.historyDropped).toBe(25);
    expect(state.history[0]!.who).toBe('x25');
  });

  it('refused attempts are logged up to a limit per approver and in total', () => {
    const budget = new RefusalBudget();
    const spam = Array.from({ length: 50 }, () => budget.take('mallory'));
    expect(spam.filter((x) => x !== 'skip')).toHaveLength(MAX_REFUSED_LOGGED_PER_APPROVER);
    expect(spam[MAX_REFUSED_LOGGED_PER_APPROVER - 1]).toBe('last');
    const many = Array.from({ length: 500 }, (_, i) => budget.take(`id${i}`));
    expect(many.filter((x) => x !== 'skip')).toHaveLength(MAX_REFUSED_LOGGED_TOTAL - MAX_REFUSED_LOGGED_PER_APPROVER);
    expect(budget.suppressed).toBe(40 + 500 - (MAX_REFUSED_LOGGED_TOTAL - MAX_REFUSED_LOGGED_PER_APPROVER));
  });
});

describe('slaStart', () => {
  it.each([
    ['the submission time when it precedes the start', 10_000, 10_250, 10_000],
    ['the submission time at the start', 10_000, 10_000, 10_000],
    ['the start when the API clock runs ahead', 10_500, 10_000, 10_000],
    ['the start when the submission is over a minute old', 10_000, 70_001, 70_001],
    ['the start for a non-finite submission time', Number.NaN, 10_000, 10_000],
  ])('uses %s', (_what, submittedAt, workflowStart, expected) => {
    expect(slaStart(submittedAt, workflowStart)).toBe(expected);
  });
});
