/**
 * Zendesk webhook signatures: `X-Zendesk-Webhook-Signature` = base64 HMAC-SHA256(secret,
 * timestamp + raw body), `X-Zendesk-Webhook-Signature-Timestamp` = the signing time (Zendesk sends
 * ISO 8601, e.g. `2021-03-25T05:09:27Z`; unix seconds are accepted too). A timestamp more than
 * {@link ZENDESK_TOLERANCE_MS} (5 minutes) away from now is rejected, so a captured request is
 * only replayable inside that window, where the replay guard (replay.ts) catches it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const ZENDESK_SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const ZENDESK_TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';
export const ZENDESK_TOLERANCE_MS = 5 * 60 * 1000;

export function signZendesk(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(timestamp).update(body).digest('base64');
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
  if (Math.abs(nowMs - at) > ZENDESK_TOLERANCE_MS) return { ok: false, reason: 'timestamp outside the 5-minute window' };
  const expected = Buffer.from(signZendesk(secret, timestamp, body));
  const given = Buffer.from(signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}
