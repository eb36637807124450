/**
 * The measurement of bench/pending, the same for Countersign and its peer: submit N with
 * CONCURRENCY in flight while listing every 250 ms, list again once all N are pending, then wait
 * for every deadline and read when each expiry was recorded. Worker RSS is sampled every second.
 */
import { rssBytes } from '../lib/service.js';
import { sleep } from '../lib/stats.js';
import type { PendingTarget } from './target.js';

export interface PendingFigures {
  pending: number;
  failures: number;
  submitSeconds: number;
  rssAllPending: number | null;
  rssPeak: number;
  /** List latencies (ms) once all N were pending. */
  listAllPending: number[];
  /** List latencies (ms) while submissions arrived at full speed, with at least N/2 pending. */
  listWhileSubmitting: number[];
  listErrors: number;
  listRows: number;
  /** Deadline → expired per approval (ms), for those that expired within the wait. */
  lags: number[];
  deadlineSpreadSeconds: number;
  reminders: number | null;
}

const LIST_SAMPLES = 100;

export async function measurePending(target: PendingTarget, n: number, concurrency: number, log: (line: string) => void): Promise<PendingFigures> {
  let rssPeak = 0;
  const sampler = setInterval(async () => {
    rssPeak = Math.max(rssPeak, (await rssBytes(target.workerPid)) ?? 0);
  }, 1000);
  try {
    const deadlines = new Map<string, number>();
    const listAllPending: number[] = [];
    const listWhileSubmitting: number[] = [];
    let listErrors = 0;
    let listRows = 0;
    const listOnce = async (into: number[]): Promise<void> => {
      const t = performance.now();
      try {
        listRows = await target.listPending();
        into.push(performance.now() - t);
      } catch {
        listErrors++;
      }
    };
    let submitting = true;
    const lister = (async () => {
      while (submitting) {
        await listOnce(deadlines.size >= n / 2 ? listWhileSubmitting : []);
        await sleep(250);
      }
    })();

    const t0 = performance.now();
    let next = 0;
    let failures = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) {
          const i = next++;
          for (let attempt = 0; ; attempt++) {
            try {
              const { id, deadline } = await target.submit(i);
              deadlines.set(id, deadline);
              break;
            } catch (err) {
              if (attempt >= 5) {
                failures++;
                log(`[${target.name}] submission ${i} failed: ${String(err)}`);
                break;
              }
              await sleep(500);
            }
          }
          if (i > 0 && i % 1000 === 0) log(`[${target.name}] ${i} submitted, ${((performance.now() - t0) / 1000).toFixed(0)} s, worker RSS ${mib(await rssBytes(target.workerPid))}`);
        }
      }),
    );
    const submitSeconds = (performance.now() - t0) / 1000;
    submitting = false;
    await lister;
    const rssAllPending = await rssBytes(target.workerPid);
    const firstDeadline = Math.min(...deadlines.values());
    const lastDeadline = Math.max(...deadlines.values());
    for (let i = 0; i < LIST_SAMPLES && Date.now() < firstDeadline; i++) await listOnce(listAllPending);

    log(`[${target.name}] ${deadlines.size} pending; waiting for the deadlines (${((lastDeadline - Date.now()) / 1000).toFixed(0)} s)`);
    const giveUp = lastDeadline + 600_000;
    while (Date.now() < giveUp) {
      await sleep(Math.max(2000, Math.min(30_000, firstDeadline - Date.now())));
      if (Date.now() >= firstDeadline && (await target.expiredCount()) >= deadlines.size) break;
    }
    const expired = await target.expiredAt(deadlines);
    const lags = [...expired].map(([id, at]) => at - deadlines.get(id)!);
    return {
      pending: deadlines.size,
      failures,
      submitSeconds,
      rssAllPending,
      rssPeak,
      listAllPending,
      listWhileSubmitting,
      listErrors,
      listRows,
      lags,
      deadlineSpreadSeconds: (lastDeadline - firstDeadline) / 1000,
      reminders: await target.reminders(),
    };
  } finally {
    clearInterval(sampler);
  }
}

export const mib = (b: number | null): string => (b === null ? '?' : `${(b / 2 ** 20).toFixed(0)} MiB`);
