/** Slack config, card rendering and the outbound pacing, without Temporal (fake Slack on loopback). */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalCard } from '../../core/index.js';
import { clientOptions } from '../../integrations/channels/slack/bolt.js';
import {
  escapeMrkdwn,
  readSlackConfig,
  renderBlocks,
  SlackErrorCode,
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
