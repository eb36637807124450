/**
 * The channel registry: one line per channel people answer in. A line names the channel (as
 * policies write `channel: slack`), the flat key approvers carry for it in `countersign.yaml`
 * (`slack: U012ABC`), and how to load its code; nothing else in the service lists channels. The
 * built-in `web` channel is always there and is last.
 */
import { WEB_CHANNEL } from '../../core/index.js';
import type { ChannelDefinition } from '../integration.js';
import type { ApprovalChannel, ChannelRegistry } from '../kit/channel.js';
import { createWebChannel } from './web/index.js';

export const CHANNELS: readonly ChannelDefinition[] = [
  { name: 'slack', identityKey: 'slack', load: async () => (await import('./slack/index.js')).slackIntegration },
  { name: 'teams', identityKey: 'teams', load: async () => (await import('./teams/index.js')).teamsIntegration },
  { name: 'pagerduty', identityKey: 'pagerduty', load: async () => (await import('./pagerduty/index.js')).pagerdutyIntegration },
  { name: 'zendesk', identityKey: 'zendesk', load: async () => (await import('./zendesk/index.js')).zendeskIntegration },
];

/** Every channel name a policy may use: the registered ones, then `web`. */
export function channelNames(channels: readonly ChannelDefinition[] = CHANNELS): string[] {
  return [...channels.map((c) => c.name), WEB_CHANNEL];
}

/** The flat identity keys an approver entry may carry. */
export function identityKeys(channels: readonly ChannelDefinition[] = CHANNELS): string[] {
  return channels.flatMap((c) => (c.identityKey ? [c.identityKey] : []));
}

/**
 * A registry of the given channels plus the built-in `web` channel. Later channels with the same
 * name replace earlier ones. `web` is reserved: the workflow makes web cards itself (they are the
 * API's own pages) without calling a channel, so a replacement would never be called.
 *
 * @throws {Error} when a given channel is named `web`.
 */
export function createChannelRegistry(channels: readonly ApprovalChannel[] = []): ChannelRegistry {
  const byName = new Map<string, ApprovalChannel>([[WEB_CHANNEL, createWebChannel()]]);
  for (const c of channels) {
    if (c.name === WEB_CHANNEL) throw new Error(`the channel name "${WEB_CHANNEL}" is the built-in web channel's; give the integration another name`);
    byName.set(c.name, c);
  }
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()].sort(),
  };
}
