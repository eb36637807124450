/**
 * Remembers webhook signatures (and invocation ids) seen inside the signature window, so the same
 * signed request delivered twice acts once. Older entries are dropped: their timestamp is outside
 * the window anyway and the signature check refuses them.
 */
import { ZENDESK_TOLERANCE_MS } from './signature.js';

export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  /** True the first time any of `keys` is seen within the window; records them all. */
  firstTime(keys: readonly string[], now = Date.now()): boolean {
    for (const [key, at] of this.seen) {
      if (now - at <= 2 * ZENDESK_TOLERANCE_MS) break; // Map keeps insertion order: the rest are newer
      this.seen.delete(key);
    }
    if (keys.some((k) => this.seen.has(k))) return false;
    for (const k of keys) this.seen.set(k, now);
    return true;
  }

  /** Forgets `keys` (processing failed; let Zendesk's retry through). */
  forget(keys: readonly string[]): void {
    for (const k of keys) this.seen.delete(k);
  }
}
