/**
 * Teams end to end through the real service (startService), the real botbuilder CloudAdapter in
 * insecure test mode (empty app id: CloudAdapter skips JWT validation and sends no token) with its
 * outgoing calls going to a loopback fake Bot Connector via the activity's serviceUrl.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsIntegration, readTeamsConfig } from '../../integrations/channels/teams/index.js';
import { Feedback } from '../../integrations/kit/index.js';
import { cardAction, linkMessage, postActivity, TEAM_CHANNEL } from '../fakes/teams/activities.js';
import { FakeConnector } from '../fakes/teams/connector.js';
import { startCountersign, until, type Countersign } from '../support/chat-service.js';
import { temporalAddress, temporalNamespace, uniqueTaskQueue } from '../support/temporal.js';

let fake: FakeConnector;
let cs: Countersign;

beforeAll(async () => {
  fake = await new FakeConnector().start();
  const env = { TEAMS_INSECURE_TEST_MODE: '1' };
  cs = await startCountersign({
    temporalAddress: temporalAddress(),
    namespace: temporalNamespace(),
    taskQueue: uniqueTaskQueue('teams-e2e'),
    integrations: (ctx) => [createTeamsIntegration({ ...ctx, env }, readTeamsConfig(env)!)],
  });
});

afterAll(async () => {
  await cs?.close();
  await fake?.close();
});

/** Submits account.modify and waits for its card in the linked channel. */
async function modify(params: Record<string, unknown> = {}): Promise<{ id: string; activityId: string; data: Record<string, unknown>; card: any }> {
  const res = await cs.submit({ action: 'account.modify', params: { plan: 'enterprise', ...params } });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const sent = await until(() => fake.calls.find((c) => c.method === 'POST' && c.conversationId === TEAM_CHANNEL && JSON.stringify(c.body).includes(id)), 30_000, 'card sent');
  const activityId = [...fake.activities.entries()].find(([, a]) => JSON.stringify(a).includes(id))![0].split('/').pop()!;
  const card = sent.body.attachments[0].content;
  const approve = card.actions.find((a: any) => a.verb === 'approve');
  return { id, activityId, data: approve.data, card };
}

const invoke = (aad: string, c: { activityId: string; data: Record<string, unknown> }, verb: string, inputs: Record<string, string> = {}) =>
  postActivity(cs.url, cardAction(fake.serviceUrl, aad, TEAM_CHANNEL, c.activityId, verb, { ...c.data, ...inputs }));

const text = (card: unknown) => JSON.stringify(card);

describe('Teams approval cards, end to end', () => {
  it('links a team channel only for a member of the group, persisting the reference as JSON', async () => {
    const refused = await postActivity(cs.url, linkMessage(fake.serviceUrl, 'aad-dave', 'account-managers'));
    expect(refused.status).toBe(200);
    await until(() => fake.calls.some((c) => text(c.body).includes('Only a member of account-managers')), 10_000, 'refusal reply');
    const ok = await postActivity(cs.url, linkMessage(fake.serviceUrl, 'aad-bob', 'account-managers'));
    expect(ok.status).toBe(200);
    await until(() => fake.calls.some((c) => text(c.body).includes('Linked: approval cards for account-managers')), 10_000, 'link reply');
    expect(existsSync(path.join(cs.service.app ? cs.dir : '', 'data', 'teams-conversations.json'))).toBe(true);
  });

  it('posts an Adaptive Card 1.5; Approve via Action.Execute returns the refreshed card, delivers the verdict and updates the card for everyone', { timeout: 90_000 }, async () => {
    const c = await modify({ email: 'jane@example.com', note: '[click](https://evil.test) **now**' });
    expect(c.card.version).toBe('1.5');
    expect(text(c.card)).not.toContain('jane@example.com');
    expect(text(c.card)).toContain('\\\\[redacted\\\\]');
    // An action carries the id and the request hash only, never the card (bot messages are at most 40 KB).
    expect(c.data).toEqual({ i: c.id, h: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(text(c.card)).toContain('\\\\[click\\\\](https://evil.test) \\\\*\\\\*now\\\\*\\\\*');
    expect(text(c.card)).toContain('{{DATE(');

    const res = await invoke('aad-carol', c, 'approve', { comment: 'ok by me' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(text(res.body.value)).toContain('**Approved** by carol');
    expect(res.body.value.actions).toEqual([]);
    const verdict = await cs.callbacks.next(c.id);
    expect(verdict).toMatchObject({ status: 'approved', verdict: 'execute', decidedBy: 'carol' });
    await until(() => fake.calls.some((call) => call.method === 'PUT' && call.activityId === c.activityId && text(call.body).includes('**Approved** by carol')), 30_000, 'card updated');
  });

  it('Deny needs a reason; with one it denies; a non-approver sees a notice and is recorded', async () => {
    const c = await modify();
    const noReason = await invoke('aad-bob', c, 'deny', { reason: ' ' });
    expect(text(noReason.body.value)).toContain('A denial needs a reason.');
    const mallory = await invoke('aad-mallory', c, 'approve');
    expect(text(mallory.body.value)).toContain(Feedback.notAnApprover.replace(/\./g, '.'));
    const res = await invoke('aad-bob', c, 'deny', { reason: 'not authorised by the customer' });
    expect(text(res.body.value)).toContain('**Denied** by bob');
    const verdict = await cs.callbacks.next(c.id);
    expect(verdict).toMatchObject({ status: 'denied', verdict: 'block', decidedBy: 'bob', reason: 'not authorised by the customer' });
    const state: any = await cs.service.client.workflow.getHandle(c.id).query('state');
    expect(state.history.filter((h: any) => h.event === 'refused').map((h: any) => h.who)).toEqual(['teams:aad-mallory']);
  });

  it('two approvers at once with quorum 1: exactly one decision; the other is told it was already decided', async () => {
    const c = await modify();
    const [a, b] = await Promise.all([invoke('aad-bob', c, 'approve'), invoke('aad-carol', c, 'approve')]);
    const verdict = await cs.callbacks.next(c.id);
    const loser = verdict.decidedBy === 'bob' ? b : a;
    expect(text(loser.body.value)).toContain('Already decided');
    expect(cs.callbacks.verdicts.filter((v) => v.payload.id === c.id)).toHaveLength(1);
  });
});
