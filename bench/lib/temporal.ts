/** A Temporal dev server for the benchmarks: the same CLI and flags as `countersign start`. */
import { ensureTemporalCli, startDevServer, type DevServer } from '../../server/temporal/index.js';
import { SEARCH_ATTRIBUTE_TYPES } from '../../workflows/contract.js';
import { ROOT } from './service.js';

export async function benchDevServer(dbFile: string, port?: number): Promise<DevServer> {
  const cliPath = await ensureTemporalCli({ cwd: ROOT, onProgress: (line) => console.error(`[temporal] ${line}`) });
  if (!cliPath) throw new Error('no Temporal CLI and no Go: set TEMPORAL_CLI or install Go >= 1.25');
  return startDevServer({ cliPath, dbFile, namespace: 'default', searchAttributes: SEARCH_ATTRIBUTE_TYPES, ...(port ? { port } : {}) });
}
