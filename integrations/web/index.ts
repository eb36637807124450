/**
 * The built-in `web` channel. It sends nothing anywhere: the HTTP API lists pending approvals
 * from Temporal visibility and serves each one's `state` query, and the web console and CLI
 * answer through the API's `decide` endpoint. Posting only returns a ref naming the approval.
 */
import type { ApprovalCard, ApprovalChannel, ChannelRef } from '../channel.js';

export const WEB_CHANNEL_NAME = 'web';

/** The path the API serves one approval under; the ref a web card "lives" at. */
export function webRef(id: string): string {
  return `/v1/approvals/${encodeURIComponent(id)}`;
}

export function createWebChannel(): ApprovalChannel {
  return {
    name: WEB_CHANNEL_NAME,
    async post(card: ApprovalCard): Promise<ChannelRef> {
      return { channel: WEB_CHANNEL_NAME, ref: webRef(card.id) };
    },
    async update(): Promise<void> {},
    async remind(): Promise<void> {},
    async escalate(): Promise<void> {},
  };
}
