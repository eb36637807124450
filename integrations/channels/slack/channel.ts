/**
 * The Slack {@link ApprovalChannel}: posts the card to the group's channel (chat.postMessage),
 * re-renders it in place (chat.update) and threads reminders and escalation notices under it.
 * The ref is `{ channel: 'slack', ref: <message ts>, meta: { channel: <channel id> } }`.
 */
import type { ApprovalCard, ChannelRef } from '../../../core/index.js';
import type { ApprovalChannel } from '../../kit/channel.js';
import { fallbackText, renderBlocks } from './card.js';
import { channelFor, type SlackConfig } from './config.js';
import { SlackErrorCode, SlackIntegrationError } from './errors.js';
import type { SlackOutbound } from './outbound.js';
import { escapeMrkdwn } from './text.js';

/** The channel name policies use (`channel: slack`). */
export const SLACK_CHANNEL_NAME = 'slack';

/** Approver id → Slack user id, for mentions in reminders (from config `slack` when it is a user id). */
export type MentionFor = (approverId: string) => string | null;

function where(ref: ChannelRef): { channel: string; ts: string } {
  const channel = ref.meta?.channel;
  if (ref.channel !== SLACK_CHANNEL_NAME || !channel || !ref.ref) {
    throw new SlackIntegrationError(SlackErrorCode.BadRef, `not a Slack card reference: ${JSON.stringify(ref)}`);
  }
  return { channel, ts: ref.ref };
}

function names(ids: readonly string[], mention: MentionFor): string {
  return ids.map((id) => (mention(id) ? `<@${mention(id)}>` : escapeMrkdwn(id))).join(', ');
}

/** Builds the channel over an outbound client. */
export function createSlackChannel(out: SlackOutbound, config: Pick<SlackConfig, 'defaultChannel' | 'channelByGroup'>, mention: MentionFor): ApprovalChannel {
  const web = out.web;
  return {
    name: SLACK_CHANNEL_NAME,
    async post(card: ApprovalCard): Promise<ChannelRef> {
      const channel = channelFor(config, card.approvers);
      if (!channel) {
        throw new SlackIntegrationError(SlackErrorCode.ConfigInvalid, `no Slack channel for groups ${card.approvers.join(', ')}: set SLACK_CHANNEL or SLACK_CHANNEL_MAP`);
      }
      const res = await out.inChannel(channel, true, () =>
        web.chat.postMessage({ channel, text: fallbackText(card), blocks: renderBlocks(card) as never, unfurl_links: false, unfurl_media: false }),
      );
      if (!res.ts) throw new SlackIntegrationError(SlackErrorCode.ApiError, `chat.postMessage to ${channel} returned no ts`);
      return { channel: SLACK_CHANNEL_NAME, ref: res.ts, meta: { channel: res.channel ?? channel } };
    },
    async update(ref: ChannelRef, card: ApprovalCard): Promise<void> {
      const { channel, ts } = where(ref);
      await out.inChannel(`${channel}:update`, false, () => web.chat.update({ channel, ts, text: fallbackText(card), blocks: renderBlocks(card) as never }));
    },
    async remind(ref: ChannelRef, card: ApprovalCard, pending: readonly string[]): Promise<void> {
      const { channel, ts } = where(ref);
      const text = `⏰ Still waiting on ${names(pending, mention) || 'nobody'}: ${escapeMrkdwn(card.summary)}`;
      await out.inChannel(channel, true, () => web.chat.postMessage({ channel, thread_ts: ts, text }));
    },
    async escalate(ref: ChannelRef, card: ApprovalCard, to: readonly string[]): Promise<void> {
      const { channel, ts } = where(ref);
      await out.inChannel(`${channel}:update`, false, () => web.chat.update({ channel, ts, text: fallbackText(card), blocks: renderBlocks(card) as never }));
      const text = `📣 Escalated to ${names(to, mention) || 'nobody (the escalation group is empty)'}`;
      await out.inChannel(channel, true, () => web.chat.postMessage({ channel, thread_ts: ts, text, reply_broadcast: true }));
    },
  };
}
