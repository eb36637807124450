/**
 * The browser assets (console/web, compiled into dist/console/web by `npm run build`, which
 * `npm ci` runs through `prepare`): read once at start and served from memory. Nothing is fetched
 * at run time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  type: string;
}

/** Where the built assets are: next to this module's compiled tree, or the repo's dist/ when run from source. */
export function assetsDir(): string | null {
  for (const rel of ['../../console/web/', '../../dist/console/web/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}app.js`)) return dir;
  }
  return null;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** The assets (every .js and .css file of `dir`) by file name, or null when they were never built. */
export function loadAssets(dir = assetsDir()): Map<string, Asset> | null {
  if (dir === null) return null;
  const out = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[name.slice(name.lastIndexOf('.'))];
    if (type) out.set(name, { body: readFileSync(dir + name), type });
  }
  return out;
}
