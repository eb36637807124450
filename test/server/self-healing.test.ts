/**
 * The embedded default heals itself, on a real dev server: `kill -9` of the Temporal child with
 * approvals pending, and the service is back within seconds with every approval where it was;
 * while it is down callers get 503 with `Retry-After` at once; and a dev server that keeps dying
 * ends `countersign start` with exit 1 and a message a person can act on.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Countersign } from '../../client/index.js';
import { loadServiceConfig, runServiceCommand, startService } from '../../server/index.js';
import type { RunningService } from '../../server/index.js';
import { captureLogger, eventually, KEYS, ROOT, TEST_CONFIG } from '../api/harness.js';
import { SECRET, Sandbox } from '../workflows/harness.js';

const cliPath = inject('temporalCliPath');
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-heal-'));
  await mkdir(path.join(dir, 'policies'));
  for (const name of await readdir(path.join(ROOT, 'policies'))) {
    if (/\.ya?ml$/.test(name)) await copyFile(path.join(ROOT, 'policies', name), path.join(dir, 'policies', name));
  }
  await writeFile(path.join(dir, 'countersign.yaml'), TEST_CONFIG);
  env = { COUNTERSIGN_PORT: '0', TEMPORAL_CLI: cliPath ?? '', COUNTERSIGN_CALLBACK_SECRET: SECRET, PATH: process.env.PATH ?? '' };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function call(url: string, method: string, p: string, token: string, body?: unknown) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const refund = (key: string, callbackUrl: string) => ({ blueprint: 'customer-support', action: 'refund', params: { amount: 75 }, idempotencyKey: key, callbackUrl });

describe.skipIf(!cliPath)('the embedded dev server heals itself', () => {
  it('kill -9 with 20 approvals pending: 503 at once while down, back within 10 s, every approval where it was', { timeout: 120_000 }, async () => {
    const sandbox = await new Sandbox().start();
    const log = captureLogger('info');
    const dataDir = path.join(dir, 'heal');
    const config = loadServiceConfig({ cwd: dir, env: { ...env, COUNTERSIGN_DATA_DIR: dataDir } });
    // A restart takes about a second; the first waits 3 s here, so callers meet the outage.
    let service: RunningService | null = await startService({ config, logger: log.logger, temporalPort: 0, cwd: dir, env, supervision: { initialBackoffMs: 3000 } });
    try {
      const url = service.url!;
      const pending = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const sub = await call(url, 'POST', '/v1/actions', KEYS.support, refund(`heal-${i}`, sandbox.url));
          expect(sub.body.status).toBe('pending');
          return { id: sub.body.id as string, deadline: sub.body.deadline as number };
        }),
      );

      service.devServer!.current().process!.kill('SIGKILL');
      const killedAt = Date.now();

      // While it is down: 503 with Retry-After within 2 s, and nothing is recorded.
      const down = await eventually(async () => {
        const t0 = Date.now();
        const res = await call(url, 'POST', '/v1/actions', KEYS.support, refund('heal-while-down', sandbox.url));
        return res.status === 503 ? { res, ms: Date.now() - t0 } : null;
      }, 5000, 50);
      expect(down.ms).toBeLessThanOrEqual(2000);
      expect(down.res.headers.get('retry-after')).toBe('2');
      expect(down.res.body.error.code).toBe('unavailable');
      const probeStarted = Date.now();
      const readyWhileDown = await fetch(`${url}/readyz`);
      expect(Date.now() - probeStarted).toBeLessThan(1000);
      expect(readyWhileDown.status).toBe(503);
      expect(((await readyWhileDown.json()) as any).degraded).toEqual([expect.objectContaining({ part: 'temporal' })]);

      // The TypeScript client retries through the outage, with one idempotency key of its own.
      const retrying = new Countersign({ baseUrl: url, apiKey: KEYS.support, retries: 10 }).submit({ blueprint: 'customer-support', action: 'refund', params: { amount: 76 }, callbackUrl: sandbox.url });

      // Back within 10 s of the kill.
      await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, 10_000, 100);
      await eventually(() => service!.devServer!.restarts() === 1, 10_000, 50);
      expect(Date.now() - killedAt).toBeLessThan(10_000);

      for (const { id, deadline } of pending) {
        const got = await eventually(async () => {
          const res = await call(url, 'GET', `/v1/actions/${id}`, KEYS.support);
          return res.status === 200 ? res : null;
        });
        expect(got.body).toMatchObject({ id, status: 'pending', deadline });
      }
      const filed = await retrying;
      expect(filed).toMatchObject({ status: 'pending', replayed: false });
      expect((await call(url, 'GET', `/v1/actions/${filed.id}`, KEYS.support)).body.request.params).toEqual({ amount: 76 });

      // The submission answered 503 started nothing: the same key is new now.
      expect((await call(url, 'POST', '/v1/actions', KEYS.support, refund('heal-while-down', sandbox.url))).status).toBe(201);

      // One approved afterwards completes, and its verdict reaches the sandbox exactly once.
      const first = pending[0]!.id;
      const decided = await eventually(async () => {
        const res = await call(url, 'POST', `/v1/actions/${first}/decision`, KEYS.alice, { decision: 'approve' });
        return res.status === 200 ? res : null;
      });
      expect(decided.body.state.status).toBe('approved');
      await eventually(() => sandbox.accepted(first).length === 1, 15_000);
      await new Promise((r) => setTimeout(r, 1000));
      expect(sandbox.accepted(first)).toHaveLength(1);
      expect(sandbox.accepted(first)[0]!.body).toMatchObject({ id: first, status: 'approved', verdict: 'execute' });

      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^countersign_temporal_up 1$/m);
      expect(metrics).toMatch(/^countersign_temporal_restarts_total 1$/m);
      expect(metrics).not.toContain('countersign_process_process_');

      const messages = log.lines.map((l) => String(l.msg));
      expect(messages.filter((m) => /Temporal dev server lost/.test(m))).toHaveLength(1);
      expect(messages.filter((m) => /Temporal dev server recovered/.test(m))).toHaveLength(1);
      // No warning storm: the SDK's poll failures are summarised.
      expect(log.lines.filter((l) => (l.level as number) >= 40).length).toBeLessThan(20);
    } finally {
      await service?.close();
      service = null;
      await sandbox.stop();
    }
  });

  it('a dev server that keeps dying ends `start` with exit 1, naming the data dir and its last output', { timeout: 120_000 }, async () => {
    const dataDir = path.join(dir, 'give-up');
    const dbFile = path.join(dataDir, 'temporal.db');
    const err: string[] = [];
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const io = {
      stdout: (t: string) => {
        if (t.includes('ready:')) ready();
      },
      stderr: (t: string) => void err.push(t),
      env: { ...env, COUNTERSIGN_DATA_DIR: dataDir, COUNTERSIGN_LOG_LEVEL: 'warn' },
      cwd: dir,
    };
    const port = await freeTcpPort();
    const exit = runServiceCommand('start', ['--temporal-port', String(port)], io);
    await Promise.race([isReady, exit.then((code) => Promise.reject(new Error(`exited ${code}: ${err.join('')}`)))]);

    // kill -9, then something else takes the port: every restart fails.
    execFileSync('pkill', ['-KILL', '-f', dbFile]);
    const squatter = await squat(port);
    try {
      expect(await exit).toBe(1);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
    const text = err.join('\n');
    expect(text).toContain('countersign start: stopped (temporal-dev-server-gave-up): the Temporal dev server at 127.0.0.1:');
    expect(text).toContain(`its state is intact in ${dbFile}`);
    expect(text).toMatch(/Last output:\n.+/);
    expect(text.match(/Temporal dev server lost/g)).toHaveLength(1);
  });
});

function freeTcpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Listens on `port` as soon as the killed server has let go of it; `close` also drops whoever connected. */
async function squat(port: number): Promise<Server> {
  for (;;) {
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    const close = server.close.bind(server);
    server.close = ((cb?: (err?: Error) => void) => {
      for (const socket of sockets) socket.destroy();
      return close(cb);
    }) as Server['close'];
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 5));
  }
}
