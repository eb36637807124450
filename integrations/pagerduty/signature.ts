/**
 * Webhooks v3 signatures: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256(secret, raw body)>`, several
 * comma-separated values while a secret rotates. There is no timestamp, so replays are stopped by
 * the event-id seen-set (see seen.ts), not here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PAGERDUTY_SIGNATURE_HEADER = 'x-pagerduty-signature';

/** `v1=<hex>` for `body`. */
export function signPagerDuty(secret: string, body: string | Buffer): string {
  return `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True when any `v1=` signature in `header` matches (constant-time compare). */
export function verifyPagerDutySignature(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || header === '') return false;
  const expected = Buffer.from(signPagerDuty(secret, body));
  let ok = false;
  for (const part of header.split(',')) {
    const given = Buffer.from(part.trim());
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  return ok;
}
