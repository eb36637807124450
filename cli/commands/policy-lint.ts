/**
 * `countersign policy lint <file|dir>… [--config <file>]`: validates policies the way the service
 * loads them. Prints `ok <file>` per good file; per problem `file:line:col: code: message` with the
 * hint on the next line indented by two spaces. Exit 0 when all are valid, 1 otherwise.
 */
import { nodeAt, parsePositioned, PolicyError, PolicyErrorCode, positionOf } from '../../triggers/index.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../io.js';
import { checkBindings, loadGroups, type Binding } from '../policy/config.js';
import { absolute, expandPaths, FileError, isPolicyFile } from '../policy/files.js';
import { formatError } from '../../triggers/index.js';
import { loadPolicyFile } from '../policy/load.js';

export const LINT_USAGE = `usage: countersign policy lint <file|dir>... [--config <countersign.yaml>]
  Validates policy files; a directory lints its *.yaml/*.yml files (not *.test.yaml, not recursive).
  Approver groups are checked against groups: in --config (default $COUNTERSIGN_CONFIG or ./countersign.yaml);
  when a directory is linted, so are the agents' blueprints: bindings.`;

/** Where `blueprint:`'s value sits, for the duplicate error. */
function blueprintPosition(text: string): { line: number; column: number } {
  const p = parsePositioned(text);
  const at = nodeAt(p, ['blueprint']);
  return positionOf(p, at.node);
}

export const policyLint: Command = async (args, io) => {
  const parsed = parseCommandArgs(args, { valued: ['config'] }, LINT_USAGE, io);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length === 0) {
    io.stderr(`policy lint: name at least one file or directory\n${LINT_USAGE}`);
    return 2;
  }

  const config = loadGroups(io, parsed.values.get('config'));
  if (config.kind === 'error') {
    io.stderr(`error: ${config.message}`);
    return 1;
  }
  if (config.kind === 'skip') io.stderr(config.note);
  const groups = config.kind === 'groups' ? config.groups : undefined;

  let failed = false;
  const seenPaths = new Set<string>();
  const blueprints = new Map<string, string>();
  const lintFile = (file: string): void => {
    const key = absolute(io.cwd, file);
    if (seenPaths.has(key)) return;
    seenPaths.add(key);
    const result = loadPolicyFile(io.cwd, file, groups);
    if (!result.ok) {
      failed = true;
      io.stdout(result.errors.map(formatError).join('\n'));
      return;
    }
    const name = result.policy.blueprint;
    const first = blueprints.get(name);
    if (first !== undefined) {
      failed = true;
      const e = new PolicyError(PolicyErrorCode.DuplicateBlueprint, `blueprint "${name}" is already defined in ${first}`, {
        file,
        ...blueprintPosition(result.text),
        path: 'blueprint',
        policy: name,
        hint: 'blueprint names must be unique across the policy directory; rename one of them',
      });
      io.stdout(formatError(e));
      return;
    }
    blueprints.set(name, file);
    io.stdout(`ok ${file}`);
  };

  // In the order given: a directory's files in name order.
  let directory = false;
  for (const p of parsed.positionals) {
    let files: string[];
    try {
      files = expandPaths(io.cwd, [p], isPolicyFile, 'policy files (*.yaml, *.yml)');
    } catch (err) {
      io.stdout(formatError(new PolicyError(PolicyErrorCode.Io, (err as FileError).message, { file: p })));
      failed = true;
      continue;
    }
    directory ||= files.length !== 1 || files[0] !== p;
    for (const file of files) lintFile(file);
  }
  // Bindings are checked against a whole policy directory: one file alone defines too few blueprints.
  if (config.kind === 'groups' && directory && !failed) {
    const { unknown, wildcards } = checkBindings(config.bindings, new Set(blueprints.keys()));
    for (const b of unknown) io.stdout(formatError(unknownBlueprint(config.file, b, [...blueprints.keys()])));
    for (const b of wildcards) {
      io.stderr(`warning: ${config.file}:${b.line}:${b.column}: agent ${b.agent} is bound to every blueprint ("*"): bind it to the blueprints it acts through`);
    }
    failed = unknown.length > 0;
  }
  return failed ? 1 : 0;
};

function unknownBlueprint(file: string, b: Binding, known: readonly string[]): PolicyError {
  return new PolicyError(PolicyErrorCode.UnknownBlueprint, `agent ${b.agent} is bound to blueprint "${b.blueprint}", which no linted policy defines`, {
    file,
    line: b.line,
    column: b.column,
    hint: `bind it to one of ${known.length ? known.join(', ') : '(no policy)'}, or add the policy; an agent can never submit to a blueprint that is not loaded`,
  });
}
