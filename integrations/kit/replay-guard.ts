/**
 * The one replay guard of inbound channel requests: a bounded set of request keys (a signature,
 * an event or invocation id) already acted on. A key is claimed before the request is processed,
 * so two concurrent deliveries of one request act once; released when processing failed, so the
 * vendor's retry gets through; and, for a persisted guard, written to disk once it succeeded, so
 * a restart does not reopen the door (vendors that sign no timestamp can be replayed at any time).
 *
 * Entries expire `windowMs` after the request's own time (a signed timestamp outside the window
 * is refused by the signature check anyway); without a window they stay until `max` newer keys
 * push them out, oldest first.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ReplayGuardOptions {
  /** How long a key is remembered after the request's time; default forever (bounded by `max`). */
  windowMs?: number;
  /** Most keys remembered (default 50,000): a flood cannot grow the set without bound. */
  max?: number;
  /** Persist confirmed keys to this file (one per line, compacted on load). */
  file?: string;
}

export class ReplayGuard {
  /** key → epoch ms until which it counts as seen, in insertion order. */
  private readonly seen = new Map<string, number>();
  private readonly windowMs: number;
  private readonly max: number;
  private readonly file: string | undefined;

  constructor(options: ReplayGuardOptions = {}) {
    this.windowMs = options.windowMs ?? Number.POSITIVE_INFINITY;
    this.max = options.max ?? 50_000;
    this.file = options.file;
    if (this.file) this.load(this.file);
  }

  /**
   * True the first time any of `keys` is claimed (within its window): all of them are then
   * claimed. False for a replay: nothing changes. `at` is the request's own time, when it has one.
   */
  claim(keys: readonly string[], now = Date.now(), at = now): boolean {
    this.purge(now);
    if (keys.some((key) => (this.seen.get(key) ?? -1) > now)) return false;
    for (const key of keys) this.remember(key, Math.max(at, now) + this.windowMs);
    return true;
  }

  /** Processing failed: forget `keys`, so the vendor's retry is processed. */
  release(keys: readonly string[]): void {
    for (const key of keys) this.seen.delete(key);
  }

  /** Processing succeeded: a persisted guard writes `keys` down. */
  confirm(keys: readonly string[]): void {
    if (this.file) appendFileSync(this.file, keys.map((key) => `${key.replace(/\n/g, ' ')}\n`).join(''));
  }

  private remember(key: string, until: number): void {
    this.seen.delete(key);
    if (this.seen.size >= this.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(key, until);
  }

  private purge(now: number): void {
    for (const [key, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(key);
    }
  }

  private load(file: string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    let lines: string[] = [];
    try {
      lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    } catch {
      // first start
    }
    for (const key of lines.slice(-this.max)) this.seen.set(key, Number.POSITIVE_INFINITY);
    writeFileSync(file, [...this.seen.keys()].map((key) => `${key}\n`).join(''));
  }
}
