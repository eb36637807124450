/**
 * Approver channels: where an approval card is shown and kept up to date. Each vendor integration
 * (Slack, Teams, PagerDuty, Zendesk) implements {@link ApprovalChannel}; the built-in `web` channel
 * (integrations/web) is always registered and serves every approval whose channel has no integration
 * or whose channel failed. Inbound answers never come through this interface: each integration's
 * inbound handler verifies the vendor's signature, maps the identity and calls the workflow's
 * `decide` update.
 */
import { WEB_CHANNEL, type ApprovalCard, type ChannelRef } from '../core/index.js';
import { createWebChannel } from './web/index.js';

/**
 * One approver channel. Methods throw on failure and the activity layer retries them, unless the
 * thrown error is a final CountersignError (a retry would repeat it); a CountersignError with
 * `retryAfterMs` (a vendor's 429 `Retry-After`) delays the next attempt by that much.
 */
export interface ApprovalChannel {
  readonly name: string;
  /** Shows a new card to the approvers; returns where it lives. */
  post(card: ApprovalCard): Promise<ChannelRef>;
  /** Re-renders the card (progress, escalation, final status). */
  update(ref: ChannelRef, card: ApprovalCard): Promise<void>;
  /** Nudges approvers who have not answered. Default: nothing beyond the card. */
  remind?(ref: ChannelRef, card: ApprovalCard, pending: readonly string[]): Promise<void>;
  /** Tells the escalation approvers (page, mention, ticket). Default: `update` with the new eligible list. */
  escalate?(ref: ChannelRef, card: ApprovalCard, to: readonly string[]): Promise<void>;
}

/** Name → channel. `get('web')` always answers. */
export interface ChannelRegistry {
  get(name: string): ApprovalChannel | undefined;
  names(): string[];
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
