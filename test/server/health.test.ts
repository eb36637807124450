/**
 * The pieces of self-healing that need no server: the health registry, the summary of repeated
 * log lines, and the dev server supervisor's backoff and give-up, driven with a fake dev server.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Health } from '../../infra/health.js';
import { summarizeRepeats } from '../../infra/log-summary.js';
import { superviseDevServer, TemporalDevServerGaveUpError, type DevServer, type DevServerExit, type SupervisorEvent } from '../../infra/temporal/index.js';

describe('Health', () => {
  it('keeps when a part became degraded while its reason changes, and says how long it lasted', () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const health = new Health(() => now);
    expect(health.degrade('channel:slack', 'invalid_auth')).toBe(true);
    now += 5000;
    expect(health.degrade('channel:slack', 'token_revoked')).toBe(false);
    expect(health.degrade('temporal', 'not reachable')).toBe(true);
    expect(health.degraded()).toEqual([
      { part: 'channel:slack', reason: 'token_revoked', since: '2026-12-01T10:00:00.000Z' },
      { part: 'temporal', reason: 'not reachable', since: '2026-12-01T10:00:05.000Z' },
    ]);
    now += 1000;
    expect(health.restore('channel:slack')).toBe(6000);
    expect(health.restore('channel:slack')).toBeNull();
    expect(health.isDegraded('temporal')).toBe(true);
  });
});

describe('summarizeRepeats', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('writes the first line of a kind, then one line with the count when the window closes', () => {
    const lines: string[] = [];
    const write = summarizeRepeats((level, message) => void lines.push(`${level} ${message}`), { windowMs: 30_000 });
    for (let i = 0; i < 74; i++) write('WARN', `gRPC call poll_workflow_task_queue retried ${i} times`, {});
    write('ERROR', 'something else', {});
    expect(lines).toEqual(['WARN gRPC call poll_workflow_task_queue retried 0 times', 'ERROR something else']);
    vi.advanceTimersByTime(30_000);
    expect(lines.at(-1)).toBe('WARN gRPC call poll_workflow_task_queue retried 0 times (and 73 more like it in the last 30 s)');
    write('WARN', 'gRPC call poll_workflow_task_queue retried 1 times', {});
    expect(lines).toHaveLength(4);
  });
});

/** A dev server that "exits" when told to. */
function fakeServer(): DevServer & { die(exit?: Partial<DevServerExit>): void } {
  let resolveExit!: (exit: DevServerExit) => void;
  const exited = new Promise<DevServerExit>((resolve) => (resolveExit = resolve));
  return {
    address: '127.0.0.1:7233',
    namespace: 'default',
    process: null,
    exited,
    output: () => ['line one', 'line two'],
    stop: async () => resolveExit({ code: 0, signal: 'SIGTERM', requested: true }),
    die: (exit = {}) => resolveExit({ code: null, signal: 'SIGKILL', requested: false, ...exit }),
  };
}

describe('superviseDevServer', () => {
  it.each([
    { name: 'a crash is followed by one restart', failures: 0, events: ['lost', 'recovered'], restarts: 1 },
    { name: 'a failed restart backs off, then one succeeds', failures: 1, events: ['lost', 'restart-failed', 'recovered'], restarts: 1 },
    { name: 'too many exits in the window end it', failures: 10, events: ['lost', 'restart-failed', 'restart-failed', 'gave-up'], restarts: 0 },
  ])('$name', async ({ failures, events, restarts }) => {
    const first = fakeServer();
    const seen: SupervisorEvent[] = [];
    let starts = 0;
    const next = fakeServer();
    const supervised = superviseDevServer(first, {
      start: async () => {
        if (starts++ < failures) throw new Error(`temporal server start-dev did not start (exit 1). Output:\nbind: address already in use #${starts}`);
        return next;
      },
      dbFile: '/data/temporal.db',
      initialBackoffMs: 1,
      maxBackoffMs: 4,
      maxExits: 3,
      onEvent: (e) => void seen.push(e),
    });
    first.die();
    await vi.waitFor(() => expect(seen.map((e) => e.kind)).toEqual(events));
    expect(supervised.restarts()).toBe(restarts);
    if (events.at(-1) === 'gave-up') {
      const error = await supervised.failed;
      expect(error).toBeInstanceOf(TemporalDevServerGaveUpError);
      expect(error.code).toBe('temporal-dev-server-gave-up');
      expect(error.final).toBe(true);
      expect(error.message).toBe(
        'the Temporal dev server at 127.0.0.1:7233 stopped 3 times within 600 s and could not be kept running; its state is intact in /data/temporal.db. ' +
          'Giving up so a process manager can restart countersign (look for another process on the port, a full disk, or a damaged database file). ' +
          'Last output:\ntemporal server start-dev did not start (exit 1). Output:\nbind: address already in use #2',
      );
    } else {
      expect(supervised.current()).toBe(next);
      await supervised.stop();
    }
  });

  it('a stop asked for is not a crash', async () => {
    const first = fakeServer();
    const seen: SupervisorEvent[] = [];
    const supervised = superviseDevServer(first, { start: async () => fakeServer(), dbFile: '/d', onEvent: (e) => void seen.push(e) });
    await supervised.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([]);
  });
});
