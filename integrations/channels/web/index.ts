/**
 * The built-in `web` channel. It sends nothing anywhere: the HTTP API lists pending approvals
 * from Temporal visibility and serves each one's `state` query, and people answer through the
 * API's decision endpoint. Posting only returns a ref naming the approval.
 */
import { WEB_CHANNEL, webRef, type ApprovalCard, type ChannelRef } from '../../../core/index.js';
import type { ApprovalChannel } from '../../kit/channel.js';

export function createWebChannel(): ApprovalChannel {
  return {
    name: WEB_CHANNEL,
    async post(card: ApprovalCard): Promise<ChannelRef> {
      return { channel: WEB_CHANNEL, ref: webRef(card.id) };
    },
    async update(): Promise<void> {},
    async remind(): Promise<void> {},
    async escalate(): Promise<void> {},
  };
}
