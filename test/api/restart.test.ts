/**
 * `countersign start` end to end, twice on the same data dir: the embedded dev server persists to
 * <dataDir>/temporal.db, so a pending approval is still pending, with its deadline, after a restart.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../support/eventually.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadServiceConfig, runServiceCommand, startService } from '../../server/index.js';
import { captureLogger, KEYS, ROOT, TEST_CONFIG } from './harness.js';

const cliPath = inject('temporalCliPath');
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-start-'));
  await mkdir(path.join(dir, 'policies'));
  for (const name of await readdir(path.join(ROOT, 'policies'))) {
    if (/\.ya?ml$/.test(name)) await copyFile(path.join(ROOT, 'policies', name), path.join(dir, 'policies', name));
  }
  await writeFile(path.join(dir, 'countersign.yaml'), TEST_CONFIG);
  env = { COUNTERSIGN_PORT: '0', TEMPORAL_CLI: cliPath ?? '', COUNTERSIGN_LOG_LEVEL: 'warn', PATH: process.env.PATH ?? '' };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function call(url: string, method: string, p: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

describe.skipIf(!cliPath)('countersign start on the same data dir twice', () => {
  it('keeps a pending approval pending, with its deadline, across a restart', { timeout: 180_000 }, async () => {
    // 1st run: the `start` command itself, stopped by our hook instead of a signal.
    const out: string[] = [];
    const err: string[] = [];
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    let ready!: (url: string) => void;
    const readyUrl = new Promise<string>((resolve) => (ready = resolve));
    const io = {
      stdout: (t: string) => {
        out.push(t);
        const m = /ready: (http:\/\/\S+)/.exec(t);
        if (m) ready(m[1]!);
      },
      stderr: (t: string) => void err.push(t),
      env,
      cwd: dir,
    };
    const exit = runServiceCommand('start', ['--temporal-port', '0'], io, { until });
    const url = await Promise.race([readyUrl, exit.then((code) => Promise.reject(new Error(`exited ${code}: ${err.join('')}`)))]);
    const sub = await call(url, 'POST', '/v1/actions', KEYS.support, { blueprint: 'customer-support', action: 'refund', params: { amount: 75 }, idempotencyKey: 'restart-1' });
    expect(sub.status).toBe(201);
    expect(sub.body.status).toBe('pending');
    const { id, deadline } = sub.body as { id: string; deadline: number };
    stop();
    expect(await exit).toBe(0);
    expect(out.join('\n')).toContain('Countersign start stopped');
    expect(err.join('\n')).not.toContain(KEYS.support);

    // 2nd run on the same data dir (startService is what `start` runs).
    const config = loadServiceConfig({ cwd: dir, env });
    const log = captureLogger('warn');
    const service = await startService({ config, logger: log.logger, temporalPort: 0, cwd: dir, env });
    try {
      // Right after a restart a read may answer 503 + Retry-After while the new worker takes over
      // the approval (the old one's sticky queue times out first); a client retries that.
      const again = await eventually(async () => {
        const res = await call(service.url!, 'GET', `/v1/actions/${id}`, KEYS.support);
        return res.status === 503 ? null : res;
      }, 30_000, 500, 'a read that is not 503');
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id, status: 'pending', deadline });
      // The same idempotency key still answers with the same action.
      const replay = await call(service.url!, 'POST', '/v1/actions', KEYS.support, { blueprint: 'customer-support', action: 'refund', params: { amount: 75 }, idempotencyKey: 'restart-1' });
      expect(replay).toMatchObject({ status: 200, body: { id, status: 'pending' } });
      const decided = await call(service.url!, 'POST', `/v1/actions/${id}/decision`, KEYS.alice, { decision: 'approve' });
      expect(decided.body.state.status).toBe('approved');
    } finally {
      await service.close();
    }
  });

  it('reports an invalid configuration without starting anything', async () => {
    const err: string[] = [];
    const code = await runServiceCommand('start', [], { stdout: () => {}, stderr: (t) => void err.push(t), env: { ...env, COUNTERSIGN_PORT: 'eighty' }, cwd: dir });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/COUNTERSIGN_PORT: must be a port number/);
  });
});
