/**
 * Verdict callbacks (`POST <callbackUrl>` to the sandbox) are signed: `Countersign-Signature:
 * v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with `Countersign-Timestamp: <unix
 * seconds>`, and carry `Idempotency-Key: <action id>`. Several comma-separated `v1=` values may
 * appear during a secret rotation; a receiver accepts the request when any matches.
 */
import { anyEquals, hmacSha256 } from './hmac.js';

export const SIGNATURE_HEADER = 'Countersign-Signature';
export const TIMESTAMP_HEADER = 'Countersign-Timestamp';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** How far a callback's timestamp may be from the receiver's clock, by default. */
export const CALLBACK_TOLERANCE_SECONDS = 300;

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export function signCallback(secret: string, timestamp: number | string, body: string): string {
  return `v1=${hmacSha256(secret, [`${timestamp}.${body}`], 'hex')}`;
}

/**
 * Checks a callback's signature the way a sandbox should. `timestamp` and `header` are the
 * `Countersign-Timestamp` and `Countersign-Signature` header values, `body` the raw body.
 */
export function verifyCallbackSignature(
  secret: string,
  timestamp: string | undefined,
  body: string,
  header: string | undefined,
  nowMs: number,
  toleranceSeconds = CALLBACK_TOLERANCE_SECONDS,
): { ok: true } | { ok: false; reason: string } {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: `missing or malformed ${TIMESTAMP_HEADER}` };
  if (!header) return { ok: false, reason: `missing ${SIGNATURE_HEADER}` };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: 'timestamp outside the tolerance' };
  return anyEquals(header, signCallback(secret, timestamp, body)) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
