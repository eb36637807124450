/** Slack config, card rendering and the outbound pacing, without Temporal (fake Slack on loopback). */
import { App, webApi } from '@slack/bolt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalCard, ApprovalState, Decider } from '../../core/index.js';
import { registerSlackHandlers } from '../../integrations/channels/slack/handlers.js';
import type { SlackIdentity } from '../../integrations/channels/slack/identity.js';
import { Feedback } from '../../integrations/kit/index.js';
import { blockActions } from '../fakes/slack/signed.js';
import { clientOptions } from '../../integrations/channels/slack/bolt.js';
import {
  escapeMrkdwn,
  readSlackConfig,
  renderBlocks,
  SlackErrorCode,
  SlackIds,
  truncate,
} from '../../integrations/channels/slack/index.js';
import { SlackOutbound } from '../../integrations/channels/slack/outbound.js';
import { FakeSlack } from '../fakes/slack/server.js';

const card = (over: Partial<ApprovalCard> = {}): ApprovalCard => ({
  id: 'act_acme_1',
  blueprint: 'customer-support',
  request: { action: 'refund', agent: 'support-bot', tenant: 'acme', params: { amount: 75, email: '[redacted]' } },
  requestHash: 'a'.repeat(64),
  rule: { path: 'security.approvalWorkflows[0]', line: 21 },
  reason: 'refund.amount > 50 needs support-leads',
  explanation: ['matched refund.amount > 50'],
  approvers: ['support-leads'],
  eligible: ['alice', 'bob'],
  quorum: { required: 1, approvedBy: [] },
  deadline: 1_800_000_000_000,
  severity: 'warning',
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  outcome: null,
  summary: 'waiting for 1 more approval(s)',
  ...over,
});

describe('Slack config', () => {
  it('is off when nothing is set and names the missing variable when half-configured', () => {
    expect(readSlackConfig({})).toBeNull();
    expect(() => readSlackConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb' })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(() => readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb', SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_CHANNEL/);
    expect(() => readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb', SLACK_SIGNING_SECRET: 's', SLACK_CHANNEL: 'C1', SLACK_API_URL: 'ftp://x' })).toThrow(/SLACK_API_URL/);
    try {
      readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-secret-value' });
    } catch (e) {
      expect((e as { code: string }).code).toBe(SlackErrorCode.ConfigMissing);
      expect((e as Error).message).not.toContain('xoxb-secret-value');
    }
    expect(readSlackConfig({ SLACK_BOT_TOKEN: 'x', SLACK_APP_TOKEN: 'xapp', SLACK_CHANNEL_MAP: 'support-leads=C1' })).toMatchObject({ mode: 'socket', channelByGroup: { 'support-leads': 'C1' } });
  });
});

describe('Slack card', () => {
  it('escapes mrkdwn and truncates by code point', () => {
    expect(escapeMrkdwn('<!here> & <@U1>')).toBe('&lt;!here&gt; &amp; &lt;@U1&gt;');
    expect(truncate('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
  });

  it('renders each terminal state without buttons and never re-adds redacted fields', () => {
    const pending = JSON.stringify(renderBlocks(card()));
    expect(pending).toContain('countersign_approve');
    expect(pending).toContain('[redacted]');
    const denied = JSON.stringify(renderBlocks(card({ status: 'denied', decidedBy: 'bob', decidedAt: 1_800_000_000_000, outcome: 'no <way>' })));
    expect(denied).toContain('*Denied* by bob');
    expect(denied).toContain('no &lt;way&gt;');
    expect(denied).not.toContain('countersign_approve');
    for (const status of ['expired', 'blocked'] as const) {
      expect(JSON.stringify(renderBlocks(card({ status, decidedAt: 1, outcome: 'why' })))).toContain(status === 'expired' ? '*Expired*' : '*Blocked*');
    }
  });
});

describe('Slack outbound', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await new FakeSlack({ token: 'xoxb-t' }).start();
  });
  afterAll(() => slack.close());

  it('waits out Retry-After on 429 and then posts', async () => {
    const config = readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: 's', SLACK_CHANNEL: 'C1', SLACK_API_URL: slack.apiUrl })!;
    const out = new SlackOutbound(new webApi.WebClient('xoxb-t', clientOptions(config)), { intervalMs: 0 });
    slack.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const res = await out.inChannel('C1', true, () => out.web.chat.postMessage({ channel: 'C1', text: 'hi' }));
    expect(res.ok).toBe(true);
    const calls = slack.callsOf('chat.postMessage');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('throws a coded error for a channel Slack refuses (the activity retries, then the workflow falls back to web)', async () => {
    const config = readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: 's', SLACK_CHANNEL: 'C1', SLACK_API_URL: slack.apiUrl })!;
    const out = new SlackOutbound(new webApi.WebClient('xoxb-t', clientOptions(config)), { intervalMs: 0 });
    slack.fail('chat.postMessage', { error: 'channel_not_found' });
    await expect(out.inChannel('C1', true, () => out.web.chat.postMessage({ channel: 'C1', text: 'hi' }))).rejects.toMatchObject({ code: SlackErrorCode.ApiError });
  });
});

describe('Slack Deny before anything is known', () => {
  const TOKEN = 'xoxb-deny-test';
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await new FakeSlack({ token: TOKEN }).start();
  });
  afterAll(async () => slack?.close());

  const pending = { id: 'act_acme_1', status: 'pending', approvers: ['support-leads'], quorum: 1, approvedBy: [], history: [] } as unknown as ApprovalState;

  it.each([
    { name: 'the state lookup fails', state: async () => { throw new Error('Temporal is not reachable'); }, notice: Feedback.unchecked },
    { name: 'the state carries no eligible list', state: async () => ({ ...pending }), notice: Feedback.unchecked },
    { name: 'the request is gone', state: async () => null, notice: Feedback.gone },
  ])('opens the modal at once, then decides nothing when $name', async ({ state, notice }) => {
    const decided: unknown[] = [];
    let modalFirst = false;
    const decider: Decider = {
      state: async (id) => {
        modalFirst = slack.callsOf('views.open').some((c) => JSON.stringify(c.body.view).includes(id));
        return state();
      },
      decide: async (_id, input) => (decided.push(input), { counted: true, message: 'x', state: pending }),
      signal: async (_id, input) => void decided.push(input),
      closeElsewhere: async () => {},
      refuse: async (_id, input) => void decided.push(input),
    };
    const app = new App({ token: TOKEN, signingSecret: 'unused-signing-secret', tokenVerificationEnabled: false, clientOptions: { slackApiUrl: slack.apiUrl } });
    const identity = { resolve: async () => ['bob'], directory: { unmapped: (u: string) => `slack:${u}` } } as unknown as SlackIdentity;
    registerSlackHandlers(app, { decider, identity, logger: pino({ level: 'silent' }) });
    const value = JSON.stringify({ i: 'act_acme_1', h: 'a'.repeat(64) });
    await app.processEvent({ body: blockActions({ user: 'UBOB', actionId: SlackIds.deny, value, channel: 'CLEADS', ts: '1.1', responseUrl: `${slack.url}/response/x` }), ack: async () => {} });
    expect(modalFirst).toBe(true);
    const update = slack.callsOf('views.update').at(-1)!;
    expect(JSON.stringify(update.body.view)).toContain(JSON.stringify(notice).slice(1, -1));
    expect(decided).toEqual([]);
  });
});
