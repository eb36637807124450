/**
 * Slack end to end through the real service (startService: API + worker on the shared Temporal
 * dev server), the real @slack/bolt and WebClient pointed at a loopback fake Slack, real signed
 * block_actions / view_submission payloads, and a callback receiver verifying verdict signatures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackIntegration, readSlackConfig, SlackIds } from '../../integrations/channels/slack/index.js';
import { FakeSlack } from '../fakes/slack/server.js';
import { blockActions, postSigned, signPayload, viewSubmission } from '../fakes/slack/signed.js';
import { startCountersign, until, type Countersign } from '../support/chat-service.js';
import { temporalAddress, temporalNamespace, uniqueTaskQueue } from '../support/temporal.js';

const SECRET = 'slack-signing-secret-for-tests';
const TOKEN = 'xoxb-test-token';
let slack: FakeSlack;
let cs: Countersign;

beforeAll(async () => {
  slack = await new FakeSlack({ token: TOKEN, users: { UBOB: { email: 'Bob@Example.com' }, UMALLORY: { email: 'mallory@evil.test' } }, usergroups: { SLEADS: ['UCAROL'] } }).start();
  const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, SLACK_CHANNEL: 'CDEFAULT', SLACK_CHANNEL_MAP: 'support-leads=CLEADS', SLACK_POST_INTERVAL_MS: '0' };
  cs = await startCountersign({
    temporalAddress: temporalAddress(),
    namespace: temporalNamespace(),
    taskQueue: uniqueTaskQueue('slack-e2e'),
    integrations: (ctx) => [createSlackIntegration({ ...ctx, env }, readSlackConfig(env)!)],
  });
});

afterAll(async () => {
  await cs?.close();
  await slack?.close();
});

/** Submits a refund and waits for its card in #CLEADS. */
async function refund(amount: number, params: Record<string, unknown> = {}): Promise<{ id: string; ts: string; value: string; card: Record<string, any> }> {
  const res = await cs.submit({ action: 'refund', params: { amount, ...params } });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const card = await until(() => [...slack.messages.values()].find((m) => m.channel === 'CLEADS' && JSON.stringify(m.blocks).includes(id)), 30_000, 'card posted');
  const actions = (card.blocks as any[]).find((b) => b.type === 'actions');
  return { id, ts: card.ts as string, value: actions.elements[0].value as string, card };
}

const click = (user: string, actionId: string, c: { ts: string; value: string }, comment?: string) =>
  signPayload(SECRET, blockActions({ user, actionId, value: c.value, channel: 'CLEADS', ts: c.ts, responseUrl: `${slack.url}/response/${user}-${c.ts}`, ...(comment !== undefined ? { comment } : {}) }));

const state = (id: string) => until(async () => (await cs.service.client.workflow.getHandle(id).query('state')) as any, 10_000, 'state');
/** Texts sent to the `response_url` of `user`'s clicks on the card at `ts`. */
const ephemeralsTo = (user: string, ts: string): string[] =>
  slack.callsOf('response_url').filter((r) => r.path === `/response/${user}-${ts}` && r.body.response_type === 'ephemeral').map((r) => String(r.body.text));

describe('Slack approval cards, end to end', () => {
  it('posts a redacted, escaped card; a signed Approve click decides; the verdict is delivered; the card shows approved', async () => {
    const c = await refund(75, { email: 'jane@example.com', customer_name: 'Jane Doe', note: '<!channel> & <https://evil.test|click>', order: 'x'.repeat(600) });
    const text = JSON.stringify(c.card.blocks);
    expect(text).not.toContain('jane@example.com');
    expect(text).not.toContain('Jane Doe');
    expect(text).toContain('[redacted]');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil.test|click&gt;');
    expect(text).not.toContain('x'.repeat(300));
    expect(text).toMatch(/<!date\^\d+\^/);
    expect(text).toContain(c.id);
    expect(c.card.text).toContain('refund');

    const res = await postSigned(cs.url, click('UALICE', SlackIds.approve, c, 'looks fine'));
    expect(res.status).toBe(200);
    const verdict = await cs.callbacks.next(c.id);
    expect(verdict).toMatchObject({ id: c.id, status: 'approved', verdict: 'execute', decidedBy: 'alice' });
    expect(verdict.reason).toContain('looks fine');
    const updated = await until(() => slack.messages.get(`CLEADS/${c.ts}`)?.blocks && JSON.stringify(slack.messages.get(`CLEADS/${c.ts}`)!.blocks).includes('*Approved* by alice') && slack.messages.get(`CLEADS/${c.ts}`), 30_000, 'card updated');
    expect(JSON.stringify(updated.blocks)).not.toContain(SlackIds.approve);
    expect(JSON.stringify(updated.blocks)).not.toContain('jane@example.com');
  });

  it('Deny opens a modal; an empty reason is refused by the modal; a reason denies and shows on the card', async () => {
    const c = await refund(80);
    expect((await postSigned(cs.url, click('UBOB', SlackIds.deny, c))).status).toBe(200);
    const open = await until(() => slack.callsOf('views.open').find((v) => JSON.stringify(v.body.view).includes(c.id)), 10_000, 'views.open');
    expect(open.body.trigger_id).toMatch(/^trigger-/);
    const view = open.body.view as Record<string, any>;

    const empty = await postSigned(cs.url, signPayload(SECRET, viewSubmission({ user: 'UBOB', view, reason: '  ' })));
    expect(empty.status).toBe(200);
    expect(JSON.parse(empty.text)).toMatchObject({ response_action: 'errors' });
    expect((await state(c.id)).status).toBe('pending');

    const ok = await postSigned(cs.url, signPayload(SECRET, viewSubmission({ user: 'UBOB', view, reason: 'customer already refunded <twice>' })));
    expect(ok.status).toBe(200);
    const verdict = await cs.callbacks.next(c.id);
    expect(verdict).toMatchObject({ status: 'denied', verdict: 'block', decidedBy: 'bob', reason: 'customer already refunded <twice>' });
    await until(() => JSON.stringify(slack.messages.get(`CLEADS/${c.ts}`)?.blocks ?? '').includes('*Denied* by bob'), 30_000, 'card denied');
    expect(JSON.stringify(slack.messages.get(`CLEADS/${c.ts}`)!.blocks)).toContain('customer already refunded &lt;twice&gt;');
  });

  it('rejects a forged signature, a stale timestamp and an exact replay, and counts nothing', async () => {
    const c = await refund(90);
    const good = click('UALICE', SlackIds.approve, c);
    const forged = { ...good, headers: { ...good.headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` } };
    expect((await postSigned(cs.url, forged)).status).toBe(401);
    const stale = signPayload(SECRET, blockActions({ user: 'UALICE', actionId: SlackIds.approve, value: c.value, channel: 'CLEADS', ts: c.ts, responseUrl: `${slack.url}/response/x` }), Math.floor(Date.now() / 1000) - 6 * 60);
    expect((await postSigned(cs.url, stale)).status).toBe(401);
    const tampered = { ...good, body: good.body.replace('UALICE', 'UDAVE') };
    expect((await postSigned(cs.url, tampered)).status).toBe(401);
    expect((await state(c.id)).status).toBe('pending');
    expect((await state(c.id)).approvedBy).toEqual([]);

    // the genuine click counts once; its exact replay is rejected before Bolt sees it
    expect((await postSigned(cs.url, good)).status).toBe(200);
    expect((await postSigned(cs.url, good)).status).toBe(409);
    const verdict = await cs.callbacks.next(c.id);
    expect(verdict.decidedBy).toBe('alice');
    expect(cs.callbacks.verdicts.filter((v) => v.payload.id === c.id)).toHaveLength(1);
  });

  it('a non-approver is told privately, nothing counts, and the attempt is recorded', async () => {
    const c = await refund(95);
    for (const user of ['UMALLORY', 'UDAVE']) expect((await postSigned(cs.url, click(user, SlackIds.approve, c))).status).toBe(200);
    for (const user of ['UMALLORY', 'UDAVE']) await until(() => ephemeralsTo(user, c.ts).some((t) => t.includes('not an approver')), 10_000, `ephemeral to ${user}`);
    const s = await until(async () => {
      const st = await state(c.id);
      return st.history.filter((h: any) => h.event === 'refused').length >= 2 && st;
    }, 10_000, 'refusals recorded');
    expect(s.status).toBe('pending');
    expect(s.approvedBy).toEqual([]);
    expect(s.history.filter((h: any) => h.event === 'refused').map((h: any) => h.who).sort()).toEqual(['dave', 'slack:UMALLORY']);
  });

  it('two approvers clicking at once with quorum 1: exactly one decision; the other learns it was already decided', async () => {
    const c = await refund(99);
    const [a, b] = await Promise.all([postSigned(cs.url, click('UALICE', SlackIds.approve, c)), postSigned(cs.url, click('UCAROL', SlackIds.approve, c))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const verdict = await cs.callbacks.next(c.id);
    expect(['alice', 'carol']).toContain(verdict.decidedBy);
    const loser = verdict.decidedBy === 'alice' ? 'UCAROL' : 'UALICE';
    const told = await until(() => ephemeralsTo(loser, c.ts).find((t) => t.startsWith('Already decided')), 10_000, 'already-decided ephemeral');
    expect(told).toContain(`already approved by ${verdict.decidedBy}`);
    const s = await state(c.id);
    expect(s.approvedBy).toEqual([verdict.decidedBy]);
    expect(cs.callbacks.verdicts.filter((v) => v.payload.id === c.id)).toHaveLength(1);
  });

  it('a channel Slack refuses does not leave the request stuck: after the retries the built-in web channel serves it', { timeout: 90_000 }, async () => {
    slack.fail('chat.postMessage', { error: 'channel_not_found' }, Infinity);
    try {
      const res = await cs.submit({ action: 'refund', params: { amount: 77 } });
      const id = res.body.id as string;
      const s = await until(async () => {
        const st = await state(id);
        return st.channel === 'web' && st;
      }, 60_000, 'fallback to web');
      expect(s.history.find((h: any) => h.event === 'posted').why).toContain('channel_not_found');
    } finally {
      slack.clearFailures();
    }
  });
});
