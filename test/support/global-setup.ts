/**
 * Vitest globalSetup: ONE real Temporal dev server per `vitest run` (in-memory state in a fresh temp
 * SQLite file), or the cluster at TEMPORAL_ADDRESS when set. Tests reach it via test/support/temporal.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import type { TestProject } from 'vitest/node';
import { ensureSearchAttributes, ensureTemporalCli, startDevServer } from '../../infra/temporal/index.js';
import { SEARCH_ATTRIBUTE_TYPES } from '../../core/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of the Temporal frontend the tests use. */
    temporalAddress: string;
    temporalNamespace: string;
    /** The `temporal` executable, or null when the server is external or SDK-downloaded. */
    temporalCliPath: string | null;
  }
}

const say = (line: string): void => void process.stderr.write(`[temporal] ${line}\n`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const external = process.env.TEMPORAL_ADDRESS;
  if (external) {
    const connection = await Connection.connect({ address: external });
    try {
      await ensureSearchAttributes(connection, namespace, SEARCH_ATTRIBUTE_TYPES);
    } finally {
      await connection.close();
    }
    provideAll(project, external, namespace, null);
    return async () => {};
  }
  const cacheDir = process.env.COUNTERSIGN_CACHE_DIR;
  const cliPath = await ensureTemporalCli({ cwd: root, onProgress: say, ...(cacheDir ? { cacheDir } : {}) });
  const dir = await mkdtemp(path.join(tmpdir(), 'countersign-temporal-'));
  const started = performance.now();
  const server = await startDevServer({ cliPath, dbFile: path.join(dir, 'temporal.db'), namespace, searchAttributes: SEARCH_ATTRIBUTE_TYPES });
  if (process.env.COUNTERSIGN_TIMINGS) say(`dev server ${server.address} ready in ${Math.round(performance.now() - started)} ms`);
  provideAll(project, server.address, namespace, cliPath);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

function provideAll(project: TestProject, address: string, namespace: string, cliPath: string | null): void {
  project.provide('temporalAddress', address);
  project.provide('temporalNamespace', namespace);
  project.provide('temporalCliPath', cliPath);
}
