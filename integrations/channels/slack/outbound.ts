/**
 * Outbound calls to the Slack Web API with Slack's limits honoured: at most one card per channel
 * per `intervalMs` (chat.postMessage allows about 1 message/s per channel) and, on HTTP 429, a wait
 * for `Retry-After` when it fits in `maxWaitMs`; a longer wait throws so the activity retries later.
 * Every failure throws a {@link SlackIntegrationError}: the caller never gets a silent no-op.
 */
import { webApi } from '@slack/bolt';
import { SlackErrorCode, SlackIntegrationError } from './errors.js';

export interface OutboundOptions {
  intervalMs: number;
  /** Longest Retry-After this call waits out before it throws instead (default 10 s). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Per-channel pacing plus Retry-After handling around one WebClient. */
export class SlackOutbound {
  private readonly notBefore = new Map<string, number>();
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    readonly web: webApi.WebClient,
    private readonly options: OutboundOptions,
  ) {}

  /** Runs `call` for `channel` after the previous one, spaced by `intervalMs` when `paced`. */
  inChannel<T>(channel: string, paced: boolean, call: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (paced) await this.until(channel);
      try {
        return await this.withRetryAfter(channel, call);
      } finally {
        if (paced) this.push(channel, Date.now() + this.options.intervalMs);
      }
    };
    const prev = this.tails.get(channel) ?? Promise.resolve();
    const next = prev.then(run, run);
    const tail = next.catch(() => undefined);
    this.tails.set(channel, tail);
    void tail.then(() => {
      if (this.tails.get(channel) === tail) this.tails.delete(channel);
    });
    return next;
  }

  private push(channel: string, at: number): void {
    this.notBefore.set(channel, Math.max(this.notBefore.get(channel) ?? 0, at));
  }

  private async until(channel: string): Promise<void> {
    const delay = (this.notBefore.get(channel) ?? 0) - Date.now();
    if (delay > 0) await (this.options.sleep ?? wait)(delay);
  }

  private async withRetryAfter<T>(channel: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
        if (e.code === webApi.ErrorCode.RateLimitedError) {
          const ms = Math.max(1, e.retryAfter ?? 1) * 1000;
          this.push(channel, Date.now() + ms);
          if (attempt < 2 && ms <= (this.options.maxWaitMs ?? 10_000)) {
            await this.until(channel);
            continue;
          }
          throw new SlackIntegrationError(SlackErrorCode.RateLimited, `Slack rate-limited channel ${channel}: retry after ${ms / 1000} s`, { cause: err, retryAfterMs: ms });
        }
        if (e.code === webApi.ErrorCode.PlatformError) {
          throw new SlackIntegrationError(SlackErrorCode.ApiError, `Slack answered ${e.data?.error ?? 'an error'} for channel ${channel}`, { cause: err });
        }
        throw new SlackIntegrationError(SlackErrorCode.Unreachable, `Slack Web API unreachable: ${e.message ?? String(err)}`, { cause: err });
      }
    }
  }
}
