/**
 * `countersign policy test <file|dir>…`: runs policy test files (`*.test.yaml`, format in
 * cli/policy/test-file.ts) like `opa test`. Prints PASS/FAIL per case, then `N passed, M failed`.
 * Exit 0 when everything passed, 1 on any failure, 2 for usage errors.
 */
import { parseCommandArgs } from '../args.js';
import type { Command } from '../io.js';
import { expandPaths, FileError, isTestFile } from '../policy/files.js';
import { formatSummary, runTestFiles } from '../policy/runner.js';

export const TEST_USAGE = `usage: countersign policy test <file|dir>...
  Runs policy test files; a directory runs its *.test.yaml/*.test.yml files (not recursive).`;

export const policyTest: Command = async (args, io) => {
  const parsed = parseCommandArgs(args, {}, TEST_USAGE, io);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length === 0) {
    io.stderr(`policy test: name at least one test file or directory\n${TEST_USAGE}`);
    return 2;
  }
  let missing = 0;
  const files: string[] = [];
  for (const p of parsed.positionals) {
    try {
      files.push(...expandPaths(io.cwd, [p], isTestFile, 'policy test files (*.test.yaml)'));
    } catch (err) {
      io.stdout(`${p}:0:0: io: ${(err as FileError).message}`);
      missing++;
    }
  }
  const summary = runTestFiles(io.cwd, files, (text) => io.stdout(text));
  const failed = summary.failed + missing;
  io.stdout(formatSummary({ passed: summary.passed, failed }));
  return failed > 0 ? 1 : 0;
};
