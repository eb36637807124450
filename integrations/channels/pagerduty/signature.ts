/**
 * Webhooks v3 signatures: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256(secret, raw body)>`, several
 * comma-separated values while a secret rotates. There is no timestamp, so replays are stopped by
 * the persisted replay guard on the event id (see webhook.ts), not here.
 */
import { anyEquals, hmacSha256 } from '../../kit/index.js';

export const PAGERDUTY_SIGNATURE_HEADER = 'x-pagerduty-signature';

/** `v1=<hex>` for `body`. */
export function signPagerDuty(secret: string, body: string | Buffer): string {
  return `v1=${hmacSha256(secret, [body], 'hex')}`;
}

/** True when any `v1=` signature in `header` matches (constant-time compare). */
export function verifyPagerDutySignature(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
  return typeof header === 'string' && anyEquals(header, signPagerDuty(secret, body));
}
