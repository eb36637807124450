import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ensureSearchAttributes, ensureTemporalCli, findTemporalCli, startDevServer, TEMPORAL_CLI_VERSION, type DevServer,
} from '../../infra/temporal/index.js';
import { withInstallLock } from '../../infra/temporal/lock.js';
import { SEARCH_ATTRIBUTE_TYPES } from '../../core/index.js';
import type * as fixtures from '../fixtures/workflows/index.js';
import { phaseQuery, releaseSignal } from '../fixtures/workflows/messages.js';
import { connectClient, createTestWorker, uniqueTaskQueue } from '../support/temporal.js';

const FIXTURE_WORKFLOWS = fileURLToPath(new URL('../fixtures/workflows/index.ts', import.meta.url));
const timings = (label: string, ms: number): void => {
  if (process.env.COUNTERSIGN_TIMINGS) process.stderr.write(`[timing] ${label}: ${Math.round(ms)} ms\n`);
};

let dir: string;
beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), 'countersign-cli-test-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function fakeExe(file: string, mode = 0o755): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '#!/bin/sh\necho fake\n');
  await chmod(file, mode);
  return file;
}

describe('findTemporalCli', () => {
  it('prefers TEMPORAL_CLI, then PATH, then <cwd>/.tools', async () => {
    const cwd = path.join(dir, 'project');
    const explicit = await fakeExe(path.join(dir, 'explicit', 'temporal'));
    const onPath = await fakeExe(path.join(dir, 'bin', 'temporal'));
    const local = await fakeExe(path.join(cwd, '.tools', 'temporal'));
    await fakeExe(path.join(dir, 'noexec', 'temporal'), 0o644);
    const PATH = [path.join(dir, 'empty'), path.join(dir, 'noexec'), path.join(dir, 'bin')].join(path.delimiter);
    expect(await findTemporalCli({ cwd, env: { TEMPORAL_CLI: explicit, PATH } })).toBe(explicit);
    expect(await findTemporalCli({ cwd, env: { PATH } })).toBe(onPath);
    expect(await findTemporalCli({ cwd, env: { PATH: path.join(dir, 'noexec') } })).toBe(local);
    expect(await findTemporalCli({ cwd: path.join(dir, 'elsewhere'), env: {} })).toBeNull();
  });

  it('refuses a TEMPORAL_CLI that is not executable', async () => {
    await expect(findTemporalCli({ cwd: dir, env: { TEMPORAL_CLI: path.join(dir, 'missing') } }))
      .rejects.toMatchObject({ code: 'temporal-cli-not-found', final: true });
  });

  it('copies the CLI from the machine cache into .tools', async () => {
    const cacheDir = path.join(dir, 'cache');
    await fakeExe(path.join(cacheDir, `temporal-${TEMPORAL_CLI_VERSION}`));
    const cwd = path.join(dir, 'fresh-clone');
    expect(await ensureTemporalCli({ cwd, env: { PATH: '' }, cacheDir })).toBe(path.join(cwd, '.tools', 'temporal'));
    expect(await findTemporalCli({ cwd, env: {} })).toBe(path.join(cwd, '.tools', 'temporal'));
  });

  it('serialises installs with a lock file', async () => {
    const order: string[] = [];
    const job = (name: string) => withInstallLock(dir, () => {}, async () => {
      order.push(`${name}:in`);
      await new Promise((r) => setTimeout(r, 50));
      order.push(`${name}:out`);
    });
    await Promise.all([job('a'), job('b')]);
    expect(order).toEqual([order[0], order[0]!.replace('in', 'out'), order[2], order[2]!.replace('in', 'out')]);
  });
});

describe('the shared dev server', () => {
  it('answers and has the search attributes registered', async () => {
    const { connection, close } = await connectClient();
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toBeTruthy();
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: inject('temporalNamespace') });
      expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(Object.keys(SEARCH_ATTRIBUTE_TYPES)));
      expect(await ensureSearchAttributes(connection, inject('temporalNamespace'), SEARCH_ATTRIBUTE_TYPES)).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('a dev server restarted on the same db file', () => {
  it('keeps a running workflow, which completes after a signal', async (ctx) => {
    const cliPath = inject('temporalCliPath') ?? (await findTemporalCli());
    if (!cliPath) return ctx.skip();
    const dbFile = path.join(dir, 'restart.db');
    const namespace = 'default';
    const taskQueue = uniqueTaskQueue('restart');
    const workflowId = uniqueTaskQueue('wait');
    const servers: DevServer[] = [];
    try {
      let t = performance.now();
      const first = await startDevServer({ cliPath, dbFile, namespace, searchAttributes: SEARCH_ATTRIBUTE_TYPES });
      servers.push(first);
      timings('dev server start', performance.now() - t);
      const c1 = await connectClient({ address: first.address, namespace });
      t = performance.now();
      const w1 = await createTestWorker({ taskQueue, workflowsPath: FIXTURE_WORKFLOWS, address: first.address, namespace });
      timings('worker creation incl. first bundle', performance.now() - t);
      const handle = await c1.client.workflow.start<typeof fixtures.waitForRelease>('waitForRelease', { taskQueue, workflowId });
      await w1.runUntil(async () => expect(await handle.query(phaseQuery)).toBe('waiting'));
      await w1.close();
      await c1.close();
      await first.stop();

      t = performance.now();
      const second = await startDevServer({ cliPath, dbFile, namespace, searchAttributes: SEARCH_ATTRIBUTE_TYPES });
      servers.push(second);
      timings('dev server restart on existing db', performance.now() - t);
      const c2 = await connectClient({ address: second.address, namespace });
      const again = c2.client.workflow.getHandle<typeof fixtures.waitForRelease>(workflowId);
      expect((await again.describe()).status.name).toBe('RUNNING');
      t = performance.now();
      const w2 = await createTestWorker({ taskQueue, workflowsPath: FIXTURE_WORKFLOWS, address: second.address, namespace });
      timings('worker creation with cached bundle', performance.now() - t);
      await w2.runUntil(async () => {
        await again.signal(releaseSignal, 'ok');
        expect(await again.result()).toBe('released:ok');
      });
      await w2.close();
      await c2.close();
    } finally {
      for (const server of servers) await server.stop();
    }
  }, 120_000);
});
