/**
 * The approval workflow on the real Temporal dev server: a real worker, real activities writing a
 * real audit log, and a real HTTP sandbox receiver verifying the callback signatures.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchAttributeKey, decideSignal, decideUpdate, stateQuery, type ApprovalState, type DecisionResult } from '../../core/index.js';
import { connectClient, uniqueTaskQueue, type TestWorker } from '../support/temporal.js';
import {
  AGENT,
  AGENT_WITHOUT_SECRET,
  approvalInput,
  decision,
  events,
  makeActivities,
  Sandbox,
  startApproval,
  startWorker,
  waitForState,
} from './harness.js';

let conn: Awaited<ReturnType<typeof connectClient>>;
let worker: TestWorker;
let sandbox: Sandbox;
const taskQueue = uniqueTaskQueue('approval');

beforeAll(async () => {
  const t0 = performance.now();
  conn = await connectClient();
  sandbox = await new Sandbox().start();
  const { activities } = await makeActivities();
  worker = await startWorker(taskQueue, activities);
  if (process.env.COUNTERSIGN_TIMINGS) console.error(`approval.test setup ${Math.round(performance.now() - t0)} ms`);
});

afterAll(async () => {
  await worker?.close();
  await sandbox?.stop();
  await conn?.close();
});

const start = (overrides: Parameters<typeof approvalInput>[0] = {}) => {
  const input = approvalInput({ callbackUrl: sandbox.url, ...overrides });
  return startApproval(conn.client, taskQueue, input).then((handle) => ({ handle, input }));
};

const decide = (handle: Awaited<ReturnType<typeof start>>['handle'], approverId: string, value: 'approve' | 'deny', extra: Record<string, string> = {}) =>
  handle.executeUpdate(decideUpdate, { args: [{ approverId, decision: value, via: 'web', ...extra }] }) as Promise<DecisionResult>;

describe.concurrent('approval workflow', () => {
  it('auto-approves and delivers the signed verdict exactly once', async () => {
    const { handle, input } = await start({ decision: decision({ verdict: 'auto_approve', approvers: [], reason: 'reads are allowed' }) });
    const final = (await handle.result()) as ApprovalState;
    expect(final.status).toBe('approved');
    expect(final.delivered).toBe(true);
    expect(events(final)).toEqual(['submitted', 'approved', 'delivered']);
    const got = sandbox.accepted(input.id);
    expect(got).toHaveLength(1);
    expect(got[0]!.verified).toBe(true);
    expect(got[0]!.body).toMatchObject({ id: input.id, status: 'approved', verdict: 'execute', decidedBy: 'system', idempotencyKey: input.id, requestHash: input.requestHash });
  });

  it('a policy deny finishes denied with the policy reason', async () => {
    const { handle, input } = await start({ decision: decision({ verdict: 'deny', approvers: [], reason: 'agents start with nothing' }) });
    const final = (await handle.result()) as ApprovalState;
    expect(final).toMatchObject({ status: 'denied', reason: 'agents start with nothing', deniedBy: null, deadline: null });
    expect(sandbox.accepted(input.id)[0]!.body).toMatchObject({ status: 'denied', verdict: 'block' });
  });

  it('a held rate limit blocks at once with retryAfter, and the sandbox is told to block', async () => {
    const { handle, input } = await start({
      block: { reason: 'rate limit: 30 actions per minute', retryAfter: 42 },
      decision: decision({ verdict: 'deny', approvers: [], reason: 'rate limit: 30 actions per minute' }),
    });
    const final = (await handle.result()) as ApprovalState;
    expect(final).toMatchObject({ status: 'blocked', retryAfter: 42, reason: 'rate limit: 30 actions per minute', deadline: null });
    expect(events(final)).toEqual(['submitted', 'blocked', 'delivered']);
    expect(sandbox.accepted(input.id)[0]!.body).toMatchObject({ status: 'blocked', verdict: 'block', decidedBy: 'system', retryAfter: 42 });
  });

  it('an eligible approver approves; the state query still answers after completion', async () => {
    const { handle, input } = await start();
    await waitForState(handle, (s) => events(s).includes('posted'));
    const result = await decide(handle, 'alice', 'approve', { requestHash: input.requestHash });
    expect(result.counted).toBe(true);
    expect(result.state.status).toBe('approved');
    const final = (await handle.result()) as ApprovalState;
    expect(final).toMatchObject({ status: 'approved', approvedBy: ['alice'], delivered: true, channel: 'web' });
    expect(events(final)).toEqual(['submitted', 'posted', 'approved', 'delivered']);
    expect(sandbox.accepted(input.id)[0]!.body).toMatchObject({ status: 'approved', verdict: 'execute', decidedBy: 'alice' });
    const queried = await handle.query(stateQuery);
    expect(queried.status).toBe('approved');
  });

  it('one deny denies, with the approver reason', async () => {
    const { handle, input } = await start({ decision: decision({ quorum: 2 }) });
    await decide(handle, 'alice', 'approve');
    const result = await decide(handle, 'bob', 'deny', { reason: 'refund already issued' });
    expect(result).toMatchObject({ counted: true, state: { status: 'denied', deniedBy: 'bob', reason: 'refund already issued' } });
    await handle.result();
    expect(sandbox.accepted(input.id)[0]!.body).toMatchObject({ status: 'denied', verdict: 'block', decidedBy: 'bob', reason: 'refund already issued' });
  });

  it('quorum 2 of 3: the same person twice counts once', async () => {
    const { handle } = await start({ decision: decision({ quorum: 2 }) });
    await waitForState(handle, (s) => events(s).includes('posted'));
    const first = await decide(handle, 'alice', 'approve');
    expect(first).toMatchObject({ counted: true, state: { status: 'pending', approvedBy: ['alice'] } });
    const again = await decide(handle, 'alice', 'approve');
    expect(again.counted).toBe(false);
    expect(again.message).toMatch(/counts once \(1 of 2\)/);
    expect(again.state.status).toBe('pending');
    const second = await decide(handle, 'bob', 'approve');
    expect(second).toMatchObject({ counted: true, state: { status: 'approved', approvedBy: ['alice', 'bob'] } });
    const final = (await handle.result()) as ApprovalState;
    expect(final.reason).toBe('approved by alice, bob');
    expect(events(final)).toEqual(['submitted', 'posted', 'decided', 'approved', 'delivered']);
  });

  it('refuses the requesting agent, non-members and a different request, and records each', async () => {
    const { handle } = await start({ eligible: ['alice', AGENT] });
    const self = await decide(handle, AGENT, 'approve');
    expect(self).toMatchObject({ counted: false, message: `${AGENT} requested this action and cannot approve it` });
    const outsider = await decide(handle, 'mallory', 'approve');
    expect(outsider).toMatchObject({ counted: false, message: 'mallory is not an approver for this request' });
    const other = await decide(handle, 'alice', 'approve', { requestHash: 'c'.repeat(64) });
    expect(other).toMatchObject({ counted: false, message: 'this approval was for a different request' });
    const state = other.state;
    expect(state.status).toBe('pending');
    expect(state.history.filter((h) => h.event === 'refused').map((h) => [h.who, h.why])).toEqual([
      [AGENT, `${AGENT} requested this action and cannot approve it`],
      ['mallory', 'mallory is not an approver for this request'],
      ['alice', 'this approval was for a different request'],
    ]);
    expect((await decide(handle, 'alice', 'approve')).state.status).toBe('approved');
    await handle.result();
  });

  it('the update validator rejects malformed input before it enters history', async () => {
    const { handle } = await start();
    await waitForState(handle, (s) => events(s).includes('posted'));
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ approverId: '', decision: 'approve', via: 'web' }] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ approverId: 'alice', decision: 'maybe' as 'approve', via: 'web' }] }),
    ).rejects.toMatchObject({ cause: { message: 'malformed decision: decision must be "approve" or "deny"' } });
    const state = await handle.query(stateQuery);
    expect(events(state)).toEqual(['submitted', 'posted']);
    await decide(handle, 'alice', 'deny', { reason: 'cleanup' });
    await handle.result();
  });

  it('expires at the SLA, counted apart from denies, and the sandbox is told to block', async () => {
    const { handle, input } = await start({ decision: decision({ slaSeconds: 2 }) });
    const final = (await handle.result()) as ApprovalState;
    expect(final).toMatchObject({ status: 'expired', reason: 'no decision within the SLA of 2s', deniedBy: null });
    expect(final.decidedAt! - final.deadline!).toBeGreaterThanOrEqual(0);
    expect(sandbox.accepted(input.id)[0]!.body).toMatchObject({ status: 'expired', verdict: 'block', decidedBy: 'system' });
    const late = await handle.query(stateQuery);
    expect(late.status).toBe('expired');
  });

  it('reminds, escalates, and the escalated approver can then decide', async () => {
    const { handle } = await start({
      eligible: ['alice'],
      escalation: ['oncall-olga'],
      decision: decision({ slaSeconds: 20, remindEverySeconds: 1, escalateTo: 'oncall', escalateAfterSeconds: 4 }),
    });
    const early = await waitForState(handle, (s) => events(s).includes('posted'));
    expect(early.eligible).toEqual(['alice']);
    const before = await decide(handle, 'oncall-olga', 'approve');
    expect(before).toMatchObject({ counted: false, message: 'oncall-olga is not an approver for this request' });
    const escalated = await waitForState(handle, (s) => s.escalated === true);
    expect(escalated.eligible).toEqual(['alice', 'oncall-olga']);
    expect(events(escalated)).toContain('reminded');
    expect(escalated.history.find((h) => h.event === 'escalated')!.why).toMatch(/^escalated to oncall \(oncall-olga\) after 4s$/);
    expect((await handle.describe()).searchAttributes.CountersignGroups).toEqual(['finance', 'oncall']);
    const after = await decide(handle, 'oncall-olga', 'approve');
    expect(after).toMatchObject({ counted: true, state: { status: 'approved', approvedBy: ['oncall-olga'] } });
    await handle.result();
  });

  it('two approvers at the same moment with quorum 1: exactly one decision', async () => {
    const { handle } = await start();
    const [a, b] = await Promise.all([decide(handle, 'alice', 'approve'), decide(handle, 'bob', 'approve')]);
    const counted = [a, b].filter((r) => r.counted);
    expect(counted).toHaveLength(1);
    const winner = a.counted ? 'alice' : 'bob';
    const loser = a.counted ? b : a;
    expect(loser.message).toBe(`this request was already approved by ${winner}`);
    const final = (await handle.result()) as ApprovalState;
    expect(final.approvedBy).toEqual([winner]);
    expect(final.history.filter((h) => h.event === 'approved')).toHaveLength(1);
  });

  it('a duplicate click after the decision is not counted and says so', async () => {
    const { handle } = await start();
    await decide(handle, 'alice', 'approve');
    const again = await decide(handle, 'alice', 'approve');
    expect(again).toMatchObject({ counted: false, message: 'this request was already approved by alice; your approve counted once' });
    const final = (await handle.result()) as ApprovalState;
    expect(final.history.filter((h) => h.event === 'refused')).toHaveLength(0);
  });

  it('a decision by signal counts like one by update', async () => {
    const { handle, input } = await start();
    await handle.signal(decideSignal, { approverId: 'mallory', decision: 'approve', via: 'slack' });
    await handle.signal(decideSignal, { approverId: 'carol', decision: 'approve', via: 'slack' });
    const final = (await handle.result()) as ApprovalState;
    expect(final).toMatchObject({ status: 'approved', approvedBy: ['carol'] });
    expect(final.history.find((h) => h.event === 'refused')).toMatchObject({ who: 'mallory' });
    expect(sandbox.accepted(input.id)).toHaveLength(1);
  });

  it('a spammer cannot flood history: refused attempts are logged up to a limit per approver', async () => {
    const { handle } = await start();
    await waitForState(handle, (s) => events(s).includes('posted'));
    for (let i = 0; i < 15; i++) await handle.signal(decideSignal, { approverId: 'mallory', decision: 'approve', via: 'web' });
    const last = await decide(handle, 'mallory', 'approve');
    expect(last).toMatchObject({ counted: false, message: 'mallory is not an approver for this request' });
    const refused = last.state.history.filter((h) => h.event === 'refused');
    expect(refused).toHaveLength(10);
    expect(refused.at(-1)!.why).toMatch(/further refused attempts by mallory are counted, not logged/);
    await decide(handle, 'alice', 'approve');
    await handle.result();
  });

  it('a receiver answering 503 and then 200 gets the verdict exactly once', async () => {
    const input = approvalInput({ callbackUrl: sandbox.url, decision: decision({ verdict: 'auto_approve', approvers: [] }) });
    sandbox.failNext(input.id, 2);
    const handle = await startApproval(conn.client, taskQueue, input);
    const final = (await handle.result()) as ApprovalState;
    expect(final.delivered).toBe(true);
    expect(sandbox.attempts(input.id).map((r) => r.answered)).toEqual([503, 503, 200]);
    expect(sandbox.accepted(input.id)).toHaveLength(1);
    expect(final.history.at(-1)).toMatchObject({ event: 'delivered' });
  });

  it('no callback secret for the agent: nothing is sent unsigned and delivery_failed is recorded', async () => {
    const { handle, input } = await start({
      request: { action: 'refund', agent: AGENT_WITHOUT_SECRET },
      decision: decision({ verdict: 'auto_approve', approvers: [] }),
    });
    const final = (await handle.result()) as ApprovalState;
    expect(final.delivered).toBe(false);
    expect(final.history.at(-1)).toMatchObject({ event: 'delivery_failed' });
    expect(final.deliveryError).toMatch(/^callback-secret-missing: no callback secret for agent agent-nosecret/);
    expect(sandbox.attempts(input.id)).toHaveLength(0);
  });

  it('a channel with no integration falls back to web and says so', async () => {
    const { handle } = await start({ decision: decision({ channel: 'slack' }) });
    const state = await waitForState(handle, (s) => events(s).includes('posted'));
    expect(state.channel).toBe('web');
    expect(state.history.find((h) => h.event === 'posted')).toMatchObject({
      who: 'system',
      why: 'slack integration not configured; built-in web channel serves this approval',
    });
    await decide(handle, 'alice', 'approve');
    await handle.result();
  });

  it('a channel that keeps failing falls back to web after its retries', async () => {
    const { handle } = await start({ decision: decision({ channel: 'teams' }) });
    const state = await waitForState(handle, (s) => events(s).includes('posted'));
    expect(state.channel).toBe('web');
    expect(state.history.find((h) => h.event === 'posted')!.why).toMatch(
      /^teams: posting the card failed \(channel-failed: teams: posting the card failed: teams API is down\); built-in web channel serves this approval$/,
    );
    await decide(handle, 'alice', 'approve');
    expect(((await handle.result()) as ApprovalState).status).toBe('approved');
  });

  it('search attributes follow the status', async () => {
    const { handle, input } = await start({ decision: decision({ approvers: ['finance', 'cfo'] }) });
    await waitForState(handle, (s) => events(s).includes('posted'));
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(SearchAttributeKey.Status)).toBe('pending');
    expect(desc.searchAttributes.CountersignGroups).toEqual(['finance', 'cfo']);
    expect(desc.searchAttributes.CountersignTenant).toEqual(['acme']);
    expect(desc.searchAttributes.CountersignBlueprint).toEqual([input.blueprint]);
    // The SLA runs from the submission the API accepted (slaStart), not from the workflow's start.
    expect((desc.searchAttributes.CountersignDeadline as Date[])[0]!.getTime()).toBe(input.submittedAt + 30_000);
    await decide(handle, 'alice', 'approve');
    await handle.result();
    expect((await handle.describe()).searchAttributes.CountersignStatus).toEqual(['approved']);
  });
});
