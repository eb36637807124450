/**
 * Every Temporal call the API makes goes through the gate. While Temporal is known to be down
 * (infra/temporal/monitor.ts) the caller gets 503 with `Retry-After` at once; calls in flight when
 * it goes down are cancelled and answered the same way; and each operation has a deadline. So an
 * unreachable Temporal costs a caller about a second, not the SDK's twenty seconds of retries.
 */
import type { Client } from '@temporalio/client';
import { isTemporalUnreachable, unavailable } from '../errors.js';

/** Deadline of an API operation's Temporal calls, unless the operation says otherwise. */
export const DEFAULT_TEMPORAL_DEADLINE_MS = 5000;

/** What the gate asks about Temporal's reachability; without one, only deadlines apply. */
export interface Reachability {
  up(): boolean;
  /** Aborts when Temporal is next found unreachable. */
  downSignal(): AbortSignal;
}

export interface TemporalGate {
  /** Runs `fn`; every Temporal call inside shares one deadline, `ms` from now. 503 when Temporal is down or does not answer in time. */
  run<T>(fn: () => Promise<T>, ms?: number): Promise<T>;
}

export function createGate(client: Client, reachability: Reachability | null, deadlineMs = DEFAULT_TEMPORAL_DEADLINE_MS): TemporalGate {
  return {
    async run(fn, ms = deadlineMs) {
      if (reachability && !reachability.up()) throw unavailable();
      // A signal of this call's own: the SDK never removes the listeners it adds to one.
      const local = new AbortController();
      const down = reachability?.downSignal();
      let onDown: (() => void) | undefined;
      const wentDown = new Promise<never>((_, reject) => {
        onDown = () => {
          local.abort();
          reject(unavailable());
        };
        down?.addEventListener('abort', onDown, { once: true });
      });
      wentDown.catch(() => {});
      try {
        const call = client.withAbortSignal(local.signal, () => client.withDeadline(Date.now() + ms, fn));
        call.catch(() => {}); // settles after an outage answered the caller first
        return await Promise.race([call, wentDown]);
      } catch (error) {
        if (local.signal.aborted) throw unavailable();
        if (isTemporalUnreachable(error)) throw unavailable('Temporal did not answer in time');
        throw error;
      } finally {
        if (onDown) down?.removeEventListener('abort', onDown);
      }
    },
  };
}
