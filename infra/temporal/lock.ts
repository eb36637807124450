/**
 * A cross-process lock file (`<dir>/temporal-install.lock`, holding the owner's pid). A lock whose
 * owner is dead or that is older than {@link STALE_MS} is taken over.
 */
import { open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TemporalCliInstallLockedError } from './errors.js';

const STALE_MS = 30 * 60_000;
const WAIT_LIMIT_MS = 20 * 60_000;

/** Runs `fn` while holding the install lock in `dir`; waits (reporting every ~15 s) while another process holds it. */
export async function withInstallLock<T>(dir: string, say: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  const file = path.join(dir, 'temporal-install.lock');
  const started = Date.now();
  let lastReport = 0;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(file)) {
      await unlink(file).catch(() => {});
      continue;
    }
    const waited = Date.now() - started;
    if (waited > WAIT_LIMIT_MS) {
      throw new TemporalCliInstallLockedError(`another process has been building the Temporal CLI for over ${WAIT_LIMIT_MS / 60_000} min; if none is, delete ${file} and retry.`);
    }
    if (waited - lastReport >= 15_000 || lastReport === 0) {
      lastReport = waited || 1;
      say(`another process is building the Temporal CLI (lock ${file}); waiting… ${Math.round(waited / 1000)} s`);
    }
    await sleep(500);
  }
  try {
    return await fn();
  } finally {
    await unlink(file).catch(() => {});
  }
}

async function isStale(file: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    if (Date.now() - info.mtimeMs > STALE_MS) return true;
    const pid = Number(text.trim());
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 5_000; // being written
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ESRCH' || code === 'ENOENT';
  }
}
