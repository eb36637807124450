/**
 * `countersign policy explain <file> --action '<request JSON>' [--at <ISO-8601>] [--json]`: decides
 * one request under one policy and shows why. Exit 0 for any verdict; 1 when the policy, the
 * request JSON or the time is bad (errors in the lint format); 2 for usage errors. The same
 * explanation the console's playground shows (triggers/explain).
 */
import { decisionJson, explainDecision, formatError, parseAt, parseRequestText, type PolicyError } from '../../triggers/index.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../io.js';
import { loadPolicyFile } from '../policy/load.js';

export const EXPLAIN_USAGE = `usage: countersign policy explain <policy.yaml> --action '<request JSON>' [--at <ISO-8601>] [--json]
  request JSON: {"action": "...", "resource"?: "...", "params"?: {...}, "context"?: {...}, "agent"?: "cli"}
  --at    the time to decide at (default: now), e.g. 2026-11-24T10:00:00Z
  --json  print exactly one JSON object with the fields of the decision`;

export const policyExplain: Command = async (args, io) => {
  const parsed = parseCommandArgs(args, { valued: ['action', 'at'], boolean: ['json'] }, EXPLAIN_USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const [file, ...extra] = parsed.positionals;
  const actionText = parsed.values.get('action');
  if (file === undefined || extra.length > 0 || actionText === undefined) {
    const why = file === undefined ? 'name one policy file' : extra.length > 0 ? `unexpected argument ${extra[0]}` : '--action is required';
    io.stderr(`policy explain: ${why}\n${EXPLAIN_USAGE}`);
    return 2;
  }

  const fail = (e: PolicyError): number => {
    io.stderr(formatError(e));
    return 1;
  };

  const request = parseRequestText(actionText);
  if (!request.ok) return fail(request.error);

  let now = Date.now();
  const atText = parsed.values.get('at');
  if (atText !== undefined) {
    const at = parseAt(atText);
    if (!at.ok) return fail(at.error);
    now = at.ms;
  }

  const loaded = loadPolicyFile(io.cwd, file);
  if (!loaded.ok) {
    io.stderr(loaded.errors.map(formatError).join('\n'));
    return 1;
  }
  const { decision, text } = explainDecision(loaded.policy, request.request, now, file);
  io.stdout(parsed.flags.has('json') ? decisionJson(decision) : text);
  return 0;
};
