/** A Temporal dev server for the benchmarks: the same CLI and flags as `countersign start`. */
import { ensureTemporalCli, startDevServer, type DevServer } from '../../infra/temporal/index.js';
import { SEARCH_ATTRIBUTE_TYPES } from '../../core/index.js';
import { ROOT } from './service.js';

/**
 * `BENCH_SQLITE_PRAGMAS` overrides the state file's pragmas for an A/B run: `none` for the SQLite
 * defaults (rollback journal, `synchronous=full`), or `name=value,name=value`.
 */
function pragmasFromEnv(): Record<string, string> | undefined {
  const raw = process.env.BENCH_SQLITE_PRAGMAS;
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'none') return {};
  return Object.fromEntries(raw.split(',').map((pair) => pair.split('=', 2).map((s) => s.trim()) as [string, string]));
}

export async function benchDevServer(dbFile: string, port?: number): Promise<DevServer> {
  const cliPath = await ensureTemporalCli({ cwd: ROOT, onProgress: (line) => console.error(`[temporal] ${line}`) });
  if (!cliPath) throw new Error('no Temporal CLI and no Go: set TEMPORAL_CLI or install Go >= 1.25');
  const sqlitePragmas = pragmasFromEnv();
  return startDevServer({ cliPath, dbFile, namespace: 'default', searchAttributes: SEARCH_ATTRIBUTE_TYPES, ...(port ? { port } : {}), ...(sqlitePragmas ? { sqlitePragmas } : {}) });
}
