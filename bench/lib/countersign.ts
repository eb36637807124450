/**
 * The `countersign` command run from sources (`node --import tsx bench/lib/countersign.ts
 * worker|api`): what bin/countersign.js does with dist/, for tests and benchmarks that spawn the real
 * service as child processes (so `kill -9` is real).
 */
import { main } from '../../cli/main.js';

process.exitCode = await main(process.argv.slice(2));
