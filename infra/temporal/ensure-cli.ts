/**
 * Command line: `npx tsx infra/temporal/ensure-cli.ts [--cache-dir DIR]` finds or builds the
 * Temporal CLI ({@link ensureTemporalCli}) and prints its path on stdout; progress goes to stderr.
 * Exit codes: 0 found/built, 1 retryable failure, 2 final failure, 3 no CLI and no Go (the tests
 * then fall back to the SDK's download, which needs internet).
 */
import { TemporalSetupError } from './errors.js';
import { ensureTemporalCli } from './ensure.js';

const flag = process.argv.indexOf('--cache-dir');
const cacheDir = flag >= 0 ? process.argv[flag + 1] : process.env.COUNTERSIGN_CACHE_DIR;
try {
  const cliPath = await ensureTemporalCli({
    cwd: process.cwd(),
    onProgress: (line) => console.error(`[temporal] ${line}`),
    ...(cacheDir ? { cacheDir } : {}),
  });
  if (!cliPath) {
    console.error('temporal-cli-not-found: no Temporal CLI and no Go; install Go >= 1.25 or set TEMPORAL_CLI.');
    process.exitCode = 3;
  } else {
    console.log(cliPath);
  }
} catch (error) {
  if (!(error instanceof TemporalSetupError)) throw error;
  console.error(`${error.code}: ${error.message}`);
  process.exitCode = error.final ? 2 : 1;
}
