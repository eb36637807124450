/**
 * What channels verify inbound requests with: HMAC-SHA256 and constant-time comparison (the same
 * helpers the verdict callback is signed with), and the timestamp window. Each channel states its
 * vendor's string-to-sign and encoding; vendors that sign a timestamp get the 5-minute window.
 */
export { anyEquals, hmacSha256, safeEqual } from '../../core/crypto/index.js';

/** How far a signed timestamp may be from our clock, either way: 5 minutes. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

/** True when a request signed at `timestampMs` may still be accepted at `nowMs`. */
export function withinWindow(timestampMs: number, nowMs: number, windowMs = SIGNATURE_WINDOW_MS): boolean {
  return Number.isFinite(timestampMs) && Math.abs(nowMs - timestampMs) <= windowMs;
}
