/**
 * The console's change feed: while anyone has a console open, one poll of Temporal visibility
 * every `intervalMs` (not one per browser) lists the pending approvals; each that appeared,
 * changed (escalated, one more approval) or left the pending set (decided anywhere, expired) is
 * announced to the subscribers who may decide it. Browsers then fetch the one card that changed.
 * Visibility is eventually consistent: a change shows within an interval plus its indexing lag.
 */
import type { Logger } from '../../infra/logger.js';
import type { PendingMark } from '../actions/list.js';

export interface FeedEvent {
  id: string;
  /** `new`: first seen pending; `changed`: still pending, something moved; `closed`: no longer pending. */
  kind: 'new' | 'changed' | 'closed';
}

/** Who a subscriber is: the feed tells them about approvals they may decide. */
export type FeedFilter = (mark: PendingMark) => boolean;

interface Subscriber {
  filter: FeedFilter;
  send: (event: FeedEvent) => void;
}

export interface FeedOptions {
  /** The pending approvals as they are now (api/actions/list.ts `pendingMarks`). */
  poll: () => Promise<PendingMark[]>;
  intervalMs?: number;
  logger: Logger;
}

export class ConsoleFeed {
  private readonly subscribers = new Set<Subscriber>();
  private known: Map<string, PendingMark> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private failing = false;
  private readonly intervalMs: number;

  constructor(private readonly options: FeedOptions) {
    this.intervalMs = options.intervalMs ?? 500;
  }

  /** Starts telling `send` about changes `filter` lets through; returns the unsubscribe. */
  subscribe(filter: FeedFilter, send: (event: FeedEvent) => void): () => void {
    const sub: Subscriber = { filter, send };
    this.subscribers.add(sub);
    if (this.timer === null) this.schedule(0);
    return () => {
      this.subscribers.delete(sub);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  /** Polls now instead of at the next tick (after a decision this process made). */
  nudge(): void {
    if (this.subscribers.size === 0 || this.polling) return;
    if (this.timer) clearTimeout(this.timer);
    this.schedule(0);
  }

  get size(): number {
    return this.subscribers.size;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.known = null;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.polling = this.tick().finally(() => {
        this.polling = null;
        if (this.subscribers.size > 0) this.schedule(this.intervalMs);
        else this.timer = null;
      });
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let marks: PendingMark[];
    try {
      marks = await this.options.poll();
      if (this.failing) this.options.logger.info('console feed: visibility answers again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.options.logger.warn({ err: error }, 'console feed: cannot list pending approvals; live updates pause until Temporal answers');
      this.failing = true;
      return;
    }
    const now = new Map(marks.map((m) => [m.id, m]));
    const before = this.known;
    this.known = now;
    if (before === null) return; // the first poll is the baseline: each browser loaded its page from the same state
    for (const [id, mark] of now) {
      const old = before.get(id);
      if (!old) this.emit({ id, kind: 'new' }, mark);
      else if (old.mark !== mark.mark) this.emit({ id, kind: 'changed' }, mark, old);
    }
    for (const [id, old] of before) if (!now.has(id)) this.emit({ id, kind: 'closed' }, old);
  }

  private emit(event: FeedEvent, mark: PendingMark, old?: PendingMark): void {
    for (const sub of this.subscribers) {
      if (sub.filter(mark) || (old !== undefined && sub.filter(old))) {
        try {
          sub.send(event);
        } catch {
          // a subscriber whose connection broke is removed by its own close handler
        }
      }
    }
  }
}
