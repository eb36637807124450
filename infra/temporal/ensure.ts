/**
 * Find-or-install of the Temporal CLI, with an optional machine-wide cache of the built binary
 * (CI: `$HOME/.cache/countersign/temporal`) so fresh clones skip the multi-minute build.
 */
import { copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { findTemporalCli, isExecutable, TEMPORAL_CLI_VERSION, TEMPORAL_EXE, toolsDir } from './find.js';
import { installTemporalCli, type InstallTemporalCliOptions } from './install.js';

/** Options of {@link ensureTemporalCli}. */
export interface EnsureTemporalCliOptions extends InstallTemporalCliOptions {
  /**
   * Machine-wide cache directory (CI: `$HOME/.cache/countersign/temporal`). A binary found there is
   * copied into `.tools`; a freshly built or project-local binary is copied there.
   */
  cacheDir?: string;
}

/**
 * Finds the Temporal CLI ({@link findTemporalCli}), else copies it from `cacheDir`, else builds it
 * ({@link installTemporalCli}). Returns null only when nothing is found and Go is absent.
 */
export async function ensureTemporalCli(options: EnsureTemporalCliOptions = {}): Promise<string | null> {
  const cwd = options.cwd ?? process.cwd();
  const local = path.join(toolsDir(cwd), TEMPORAL_EXE);
  const cached = options.cacheDir ? path.join(options.cacheDir, `temporal-${TEMPORAL_CLI_VERSION}`) : null;
  const found = await findTemporalCli({ env: options.env ?? process.env, cwd });
  if (found) {
    if (cached && found === local && !(await isExecutable(cached))) await copyAtomic(found, cached).catch(() => {});
    return found;
  }
  if (cached && (await isExecutable(cached))) {
    options.onProgress?.(`using cached Temporal CLI ${cached}`);
    await copyAtomic(cached, local);
    return local;
  }
  const built = await installTemporalCli(options);
  if (built && cached) await copyAtomic(built, cached).catch((e: unknown) => options.onProgress?.(`could not cache the CLI: ${String(e)}`));
  return built;
}

async function copyAtomic(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  const tmp = `${to}.${process.pid}.tmp`;
  await copyFile(from, tmp);
  await rename(tmp, to);
}
