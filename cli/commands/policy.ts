/**
 * `countersign policy lint|explain|test|diff`: the security lead's tools for writing policies.
 */
import type { Command } from '../io.js';
import { LINT_USAGE, policyLint } from './policy-lint.js';
import { EXPLAIN_USAGE, policyExplain } from './policy-explain.js';
import { policyTest, TEST_USAGE } from './policy-test.js';
import { DIFF_USAGE, policyDiffCommand } from './policy-diff.js';

export const POLICY_USAGE = `usage: countersign policy <lint|explain|test|diff> ...

${LINT_USAGE}

${EXPLAIN_USAGE}

${TEST_USAGE}

${DIFF_USAGE}`;

const SUBCOMMANDS: Record<string, Command> = { lint: policyLint, explain: policyExplain, test: policyTest, diff: policyDiffCommand };

export const policy: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    (sub === undefined ? io.stderr : io.stdout)(POLICY_USAGE);
    return sub === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  if (!command) {
    io.stderr(`unknown policy command: ${sub}\n${POLICY_USAGE}`);
    return 2;
  }
  return command(rest, io);
};
