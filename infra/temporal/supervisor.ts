/**
 * Keeping the embedded dev server alive. When it exits without being asked to (the OOM killer, a
 * crash, `kill -9`), it is started again on the same data dir and port after a capped exponential
 * backoff; its SQLite file holds every workflow, so pending approvals and their timers carry on,
 * and the worker and clients reconnect to the same address by themselves. Too many exits within
 * a window end supervision with {@link TemporalDevServerGaveUpError}, so a process manager can
 * take over instead of a restart loop.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DevServer, DevServerExit } from './dev-server.js';
import { TemporalDevServerGaveUpError } from './errors.js';

/** What the supervisor reports; each happens once per outage, so a log of them stays short. */
export type SupervisorEvent =
  | { readonly kind: 'lost'; readonly exit: DevServerExit; readonly output: readonly string[] }
  | { readonly kind: 'restart-failed'; readonly attempt: number; readonly error: unknown; readonly retryInMs: number }
  | { readonly kind: 'recovered'; readonly downMs: number; readonly attempts: number }
  | { readonly kind: 'gave-up'; readonly error: TemporalDevServerGaveUpError };

export interface SupervisorOptions {
  /** Starts the dev server again: same data dir, same port. */
  start(): Promise<DevServer>;
  /** Named in the give-up message: where the state that survived lives. */
  dbFile: string;
  /** First wait before a restart; doubles per failed attempt (default 250 ms). */
  initialBackoffMs?: number;
  /** Longest wait between attempts (default 5 s). */
  maxBackoffMs?: number;
  /** Exits (and failed restarts) within `windowMs` that end supervision (default 5). */
  maxExits?: number;
  /** Default 10 minutes. */
  windowMs?: number;
  onEvent?(event: SupervisorEvent): void;
  now?: () => number;
}

/** A dev server that is started again when it dies. */
export interface SupervisedDevServer {
  readonly address: string;
  readonly namespace: string;
  /** The process running now (a new one after each restart). */
  current(): DevServer;
  /** Restarts that succeeded so far. */
  restarts(): number;
  /** Settles with the give-up error when supervision fails; stays pending otherwise. */
  readonly failed: Promise<TemporalDevServerGaveUpError>;
  /** Stops supervising, then stops the process. Idempotent. */
  stop(): Promise<void>;
}

/** Supervises `first` (already running) until {@link SupervisedDevServer.stop}. */
export function superviseDevServer(first: DevServer, options: SupervisorOptions): SupervisedDevServer {
  const now = options.now ?? Date.now;
  const initial = options.initialBackoffMs ?? 250;
  const max = options.maxBackoffMs ?? 5000;
  const maxExits = options.maxExits ?? 5;
  const windowMs = options.windowMs ?? 10 * 60_000;
  const emit = (event: SupervisorEvent): void => options.onEvent?.(event);
  const stopping = new AbortController();
  const exits: number[] = [];
  let server = first;
  let restarts = 0;
  let supervising: Promise<void> = Promise.resolve();
  let giveUp!: (error: TemporalDevServerGaveUpError) => void;
  const failed = new Promise<TemporalDevServerGaveUpError>((resolve) => (giveUp = resolve));

  const tooMany = (output: readonly string[]): TemporalDevServerGaveUpError | null => {
    while (exits.length > 0 && exits[0]! < now() - windowMs) exits.shift();
    if (exits.length < maxExits) return null;
    return new TemporalDevServerGaveUpError(
      `the Temporal dev server at ${first.address} stopped ${exits.length} times within ${Math.round(windowMs / 1000)} s and could not be kept running; ` +
        `its state is intact in ${options.dbFile}. Giving up so a process manager can restart countersign ` +
        `(look for another process on the port, a full disk, or a damaged database file). Last output:\n${output.join('\n') || '(none)'}`,
    );
  };

  const supervise = async (): Promise<void> => {
    for (;;) {
      const exit = await server.exited;
      if (stopping.signal.aborted || exit.requested) return;
      const lostAt = now();
      exits.push(lostAt);
      let output = server.output();
      emit({ kind: 'lost', exit, output });
      for (let attempt = 1; ; attempt++) {
        const error = tooMany(output);
        if (error) {
          emit({ kind: 'gave-up', error });
          giveUp(error);
          return;
        }
        const wait = Math.min(max, initial * 2 ** (attempt - 1));
        try {
          await sleep(wait, undefined, { signal: stopping.signal });
        } catch {
          return; // stopped while waiting
        }
        try {
          const next = await options.start();
          if (stopping.signal.aborted) {
            await next.stop();
            return;
          }
          server = next;
          restarts++;
          emit({ kind: 'recovered', downMs: now() - lostAt, attempts: attempt });
          break;
        } catch (startError) {
          exits.push(now());
          output = (startError as Error).message.split('\n');
          emit({ kind: 'restart-failed', attempt, error: startError, retryInMs: Math.min(max, initial * 2 ** attempt) });
        }
      }
    }
  };
  supervising = supervise();

  return {
    address: first.address,
    namespace: first.namespace,
    current: () => server,
    restarts: () => restarts,
    failed,
    async stop() {
      stopping.abort();
      await server.stop();
      // A restart in flight finishes and stops what it started.
      await supervising;
    },
  };
}
