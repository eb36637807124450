/**
 * Whether this process reaches Temporal right now. A cheap call (`GetSystemInfo`) with a short
 * deadline, every second while Temporal answers and twice a second while it does not, so callers
 * can answer "unavailable" at once instead of each waiting out the SDK's retries, and a recovery
 * is seen within half a second. The answer is cached: asking costs nothing.
 */
import { setMaxListeners } from 'node:events';
import type { Client } from '@temporalio/client';
import { Health, HealthPart } from '../health.js';

export interface TemporalMonitorOptions {
  client: Client;
  /** Where the answer is recorded, as the `temporal` part. */
  health: Health;
  /** Told 1 or 0 after every check (the `countersign_temporal_up` gauge). */
  gauge?: (up: 0 | 1) => void;
  /** Told once per change (false: lost, true: back); not told about the first check that succeeds. */
  onChange?: (up: boolean, detail: { reason: string; downMs: number | null }) => void;
  /** Between checks while Temporal answers (default 1000 ms). */
  intervalMs?: number;
  /** Between checks while it does not (default 500 ms). */
  downIntervalMs?: number;
  /** Deadline of one check (default 1000 ms). */
  timeoutMs?: number;
}

export class TemporalMonitor {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private checking: Promise<boolean> | null = null;
  private down = TemporalMonitor.signalSource();

  constructor(private readonly options: TemporalMonitorOptions) {}

  private static signalSource(): AbortController {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal); // one listener per API call in flight
    return controller;
  }

  /** True unless the last check failed. */
  up(): boolean {
    return !this.options.health.isDegraded(HealthPart.Temporal);
  }

  /** A signal that aborts when Temporal is next found unreachable: calls in flight then give up at once. */
  downSignal(): AbortSignal {
    return this.down.signal;
  }

  /** Checks now (one check at a time) and records the answer. */
  check(): Promise<boolean> {
    this.checking ??= this.probe().finally(() => (this.checking = null));
    return this.checking;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.check().then((up) => this.schedule(up ? (this.options.intervalMs ?? 1000) : (this.options.downIntervalMs ?? 500)));
    }, ms);
    this.timer.unref();
  }

  private async probe(): Promise<boolean> {
    const { client, health } = this.options;
    let reason: string | null = null;
    try {
      await client.withDeadline(Date.now() + (this.options.timeoutMs ?? 1000), () => client.workflowService.getSystemInfo({}));
    } catch (error) {
      reason = (error as Error).message?.split('\n')[0] || String(error);
    }
    this.options.gauge?.(reason === null ? 1 : 0);
    if (reason !== null) {
      if (health.degrade(HealthPart.Temporal, `not reachable: ${reason}`)) {
        this.down.abort(new Error(`Temporal is not reachable: ${reason}`));
        this.down = TemporalMonitor.signalSource();
        this.options.onChange?.(false, { reason, downMs: null });
      }
      return false;
    }
    const downMs = health.restore(HealthPart.Temporal);
    if (downMs !== null) this.options.onChange?.(true, { reason: 'reachable again', downMs });
    return true;
  }
}
