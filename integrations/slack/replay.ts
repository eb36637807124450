/**
 * A short-lived seen-set of request signatures: an exact replay of a signed Slack request inside
 * the 5-minute window is rejected (the workflow also dedupes one person's repeated answer).
 * Entries expire with the signature's timestamp window; the set is capped so a flood cannot
 * grow it without bound (when full, the oldest entries go first).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 5 * 60_000,
    private readonly max = 50_000,
  ) {}

  /** True the first time `key` is seen in its window; false for a replay. */
  firstSeen(key: string, timestampMs: number, nowMs: number): boolean {
    this.purge(nowMs);
    const until = this.seen.get(key);
    if (until !== undefined && until > nowMs) return false;
    if (this.seen.size >= this.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(key, Math.max(timestampMs, nowMs) + this.windowMs);
    return true;
  }

  private purge(nowMs: number): void {
    for (const [key, until] of this.seen) {
      if (until > nowMs) break;
      this.seen.delete(key);
    }
  }
}
