/**
 * Zendesk webhook signatures: `X-Zendesk-Webhook-Signature` = base64 HMAC-SHA256(secret,
 * timestamp + raw body), `X-Zendesk-Webhook-Signature-Timestamp` = the signing time (Zendesk sends
 * ISO 8601, e.g. `2021-03-25T05:09:27Z`; unix seconds are accepted too). A timestamp more than 5
 * minutes away from now is rejected, so a captured request is only replayable inside that
 * window, where the replay guard catches it.
 */
import { hmacSha256, safeEqual, withinWindow } from '../../kit/index.js';

export const ZENDESK_SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const ZENDESK_TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

export function signZendesk(secret: string, timestamp: string, body: string | Buffer): string {
  return hmacSha256(secret, [timestamp, body], 'base64');
}

function parseTimestamp(value: string): number {
  return /^\d{1,12}$/.test(value) ? Number(value) * 1000 : Date.parse(value);
}

export type ZendeskVerdict = { ok: true } | { ok: false; reason: string };

export function verifyZendeskSignature(
  secret: string,
  body: Buffer,
  signature: string | string[] | undefined,
  timestamp: string | string[] | undefined,
  nowMs: number,
): ZendeskVerdict {
  if (typeof signature !== 'string' || signature === '') return { ok: false, reason: 'missing signature' };
  if (typeof timestamp !== 'string' || timestamp === '') return { ok: false, reason: 'missing timestamp' };
  const at = parseTimestamp(timestamp);
  if (Number.isNaN(at)) return { ok: false, reason: 'malformed timestamp' };
  if (!withinWindow(at, nowMs)) return { ok: false, reason: 'timestamp outside the 5-minute window' };
  if (!safeEqual(signature.trim(), signZendesk(secret, timestamp, body))) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}
