/**
 * HMAC-SHA256 and constant-time comparison, shared by every signature scheme Countersign signs or
 * verifies (verdict callbacks, vendor webhooks). Each scheme states its own string-to-sign.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of the concatenated `parts` (raw bytes stay raw), encoded as `encoding`. */
export function hmacSha256(secret: string, parts: readonly (string | Uint8Array)[], encoding: 'hex' | 'base64'): string {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest(encoding);
}

/** Constant-time equality of two strings (their lengths may leak, their contents do not). */
export function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * True when any comma-separated value of `header` equals `expected` (senders list several while a
 * secret rotates). Every value is compared, so the position of a match does not show in the timing.
 */
export function anyEquals(header: string | undefined, expected: string): boolean {
  if (!header) return false;
  let ok = false;
  for (const part of header.split(',')) if (safeEqual(part.trim(), expected)) ok = true;
  return ok;
}
