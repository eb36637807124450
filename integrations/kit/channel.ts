/**
 * What a channel is to the worker: an {@link ApprovalChannel} posts a card where approvers are and
 * keeps it up to date. Inbound answers never come through this interface: each channel's inbound
 * handler verifies the vendor's signature, maps the person to an approver and decides through the
 * `Decider` (see answer.ts).
 */
import type { ApprovalCard, ChannelName, ChannelRef } from '../../core/index.js';

/**
 * One approver channel. Methods throw on failure and the activity layer retries them, unless the
 * thrown error is a final CountersignError (a retry would repeat it); a CountersignError with
 * `retryAfterMs` (a vendor's 429 `Retry-After`) delays the next attempt by that much.
 */
export interface ApprovalChannel {
  readonly name: ChannelName;
  /** Shows a new card to the approvers; returns where it lives. */
  post(card: ApprovalCard): Promise<ChannelRef>;
  /** Re-renders the card (progress, escalation, final status). */
  update(ref: ChannelRef, card: ApprovalCard): Promise<void>;
  /** Nudges approvers who have not answered. Default: nothing beyond the card. */
  remind?(ref: ChannelRef, card: ApprovalCard, pending: readonly string[]): Promise<void>;
  /** Tells the escalation approvers (page, mention, ticket). Default: `update` with the new eligible list. */
  escalate?(ref: ChannelRef, card: ApprovalCard, to: readonly string[]): Promise<void>;
}

/** Name → channel, as the worker's activities look them up. `get('web')` always answers. */
export interface ChannelRegistry {
  get(name: ChannelName): ApprovalChannel | undefined;
  names(): ChannelName[];
}
