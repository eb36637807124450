/**
 * `countersign policy explain <file> --action '<request JSON>' [--at <ISO-8601>] [--json]`: decides
 * one request under one policy and shows why. Exit 0 for any verdict; 1 when the policy, the
 * request JSON or the time is bad (errors in the lint format); 2 for usage errors.
 */
import { closest, decide, PolicyError, PolicyErrorCode } from '../../triggers/index.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../io.js';
import { decisionJson, formatDecision, formatError } from '../policy/format.js';
import { parseJson } from '../policy/json.js';
import { loadPolicyFile } from '../policy/load.js';
import { parseInstant, REQUEST_KEYS, RequestSchema, toActionRequest } from '../policy/request.js';

export const EXPLAIN_USAGE = `usage: countersign policy explain <policy.yaml> --action '<request JSON>' [--at <ISO-8601>] [--json]
  request JSON: {"action": "...", "resource"?: "...", "params"?: {...}, "context"?: {...}, "agent"?: "cli"}
  --at    the time to decide at (default: now), e.g. 2026-11-24T10:00:00Z
  --json  print exactly one JSON object with the fields of the decision`;

const bad = (source: string, message: string, hint?: string, line = 1, column = 1): PolicyError =>
  new PolicyError(PolicyErrorCode.BadRequest, message, { file: source, line, column, ...(hint ? { hint } : {}) });

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

  // The request: JSON first (with a position), then its shape.
  const json = parseJson(actionText);
  if (!json.ok) {
    const { offset, line, column, message } = json.error;
    return fail(bad('--action', `invalid JSON at position ${offset} (line ${line}, column ${column}): ${message}`,
      'quote the JSON for the shell, e.g. --action \'{"action":"refund","params":{"amount":75}}\'', line, column));
  }
  const shaped = RequestSchema.safeParse(json.value);
  if (!shaped.success) {
    const issues = shaped.error.issues;
    const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const near = closest(key, REQUEST_KEYS);
      return fail(bad('--action', `unknown request field "${key}"`, near ? `did you mean ${near}?` : `request fields: ${REQUEST_KEYS.join(', ')}`));
    }
    const where = issue.path.length ? issue.path.map(String).join('.') : 'request';
    const absent = issue.path.length === 1 && json.value !== null && typeof json.value === 'object' && !Array.isArray(json.value) &&
      (json.value as Record<string, unknown>)[String(issue.path[0])] === undefined;
    return fail(bad('--action', absent ? `the request has no "${where}"` : `${where}: ${issue.message}`, 'a request is {"action": "...", "resource"?: "...", "params"?: {...}, "context"?: {...}, "agent"?: "..."}'));
  }
  const request = toActionRequest(shaped.data);

  let now = Date.now();
  const atText = parsed.values.get('at');
  if (atText !== undefined) {
    const at = parseInstant(atText);
    if (!at.ok) return fail(bad('--at', at.message, 'write an ISO-8601 time with a zone, e.g. 2026-11-24T10:00:00Z'));
    now = at.ms;
  }

  const loaded = loadPolicyFile(io.cwd, file);
  if (!loaded.ok) {
    io.stderr(loaded.errors.map(formatError).join('\n'));
    return 1;
  }
  const decision = decide(loaded.policy, request, now);
  io.stdout(parsed.flags.has('json') ? decisionJson(decision) : formatDecision(decision, file));
  return 0;
};
