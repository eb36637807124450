/**
 * `countersign` dispatch, usage and exit codes in-process, plus ONE spawn of the real bin script.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, USAGE } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';

const run = promisify(execFile);
const repo = new URL('../../', import.meta.url).pathname;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO({ cwd: repo });
  const code = await main(args, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('countersign main', () => {
  it('--help and no arguments print usage, exit 0', async () => {
    for (const args of [[], ['--help'], ['-h']]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`${USAGE}\n`);
    }
  });

  it('an unknown command exits 2 with usage on stderr', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`unknown command: frobnicate\n${USAGE}\n`);
  });

  it('policy without a subcommand is a usage error; policy --help is not', async () => {
    expect((await cli(['policy'])).code).toBe(2);
    expect((await cli(['policy', 'frob'])).code).toBe(2);
    const help = await cli(['policy', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('countersign policy lint');
  });

  it('dispatches policy lint', async () => {
    const r = await cli(['policy', 'lint', 'policies/sales-ops.yaml']);
    expect(r).toEqual({ code: 0, out: 'ok policies/sales-ops.yaml\n', err: '' });
  });
});

/**
 * The real entry point: bin/countersign.js imports ../dist/cli/main.js. To stay fast and not
 * depend on (or overwrite) the shared dist/, the CLI and what it imports are compiled with tsc into
 * a private directory inside the repo (so node_modules resolves), next to a copy of the bin script.
 */
describe('bin/countersign.js (spawned)', () => {
  let build: string;
  beforeAll(async () => {
    mkdirSync(join(repo, '.countersign'), { recursive: true });
    build = mkdtempSync(join(repo, '.countersign', 'cli-bin-test-'));
    const tsc = join(repo, 'node_modules', '.bin', 'tsc');
    await run(tsc, [
      '--ignoreConfig', '--outDir', join(build, 'dist'), '--rootDir', repo, '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--sourceMap', 'false', join(repo, 'cli', 'main.ts'),
    ], { cwd: repo }).catch((err: { stdout?: string }) => {
      // Type errors elsewhere still emit JavaScript; only a missing entry point is fatal.
      if (!existsSync(join(build, 'dist', 'cli', 'main.js'))) throw new Error(`tsc failed:\n${err.stdout ?? String(err)}`);
    });
    mkdirSync(join(build, 'bin'));
    copyFileSync(join(repo, 'bin', 'countersign.js'), join(build, 'bin', 'countersign.js'));
  }, 120_000);
  afterAll(() => {
    if (build) rmSync(build, { recursive: true, force: true });
  });

  it('node bin/countersign.js policy lint policies/ → ok per file, exit 0', async () => {
    const { stdout, stderr } = await run(process.execPath, [join(build, 'bin', 'countersign.js'), 'policy', 'lint', 'policies/'], { cwd: repo });
    expect(stdout).toBe(
      ['customer-support', 'infra-management', 'sales-ops', 'security-ops'].map((n) => `ok policies/${n}.yaml\n`).join(''),
    );
    expect(stderr).toBe('');
  });
});
