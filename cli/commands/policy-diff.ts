/**
 * `countersign policy diff <old.yaml> <new.yaml>`: every value the new version adds, removes or
 * changes, by YAML path, with `!` on the changes that let more run without a person (what the
 * service also records and warns about on a hot reload). Exit 0 with or without changes; 1 when
 * a file does not load (errors in the lint format); 2 for usage errors.
 */
import { formatError, formatPolicyDiff, policyDiff } from '../../triggers/index.js';
import type { Command } from '../io.js';
import { loadPolicyFile } from '../policy/load.js';

export const DIFF_USAGE = `usage: countersign policy diff <old.yaml> <new.yaml>
  prints each added (+), removed (-) and changed (~) value by its path; ! marks a change that
  widens what runs without a person`;

export const policyDiffCommand: Command = async (args, io) => {
  if (args.length !== 2 || args.some((a) => a.startsWith('-'))) {
    io.stderr(`policy diff: name the old and the new policy file\n${DIFF_USAGE}`);
    return 2;
  }
  const before = loadPolicyFile(io.cwd, args[0]!);
  const after = loadPolicyFile(io.cwd, args[1]!);
  if (!before.ok || !after.ok) {
    io.stderr([before, after].flatMap((r) => (r.ok ? [] : r.errors)).map(formatError).join('\n'));
    return 1;
  }
  const diff = policyDiff(before.policy.source, after.policy.source);
  const lines = formatPolicyDiff(diff);
  io.stdout(lines.length === 0 ? 'no change' : lines.join('\n'));
  for (const w of diff.widening) io.stderr(`widens: ${w.path}: ${w.why}`);
  return 0;
};
