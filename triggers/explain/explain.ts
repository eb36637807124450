/**
 * `decide()` explained for a person: the request as JSON text (positioned errors), an optional
 * time, and the verdict printed the way `countersign policy explain` prints it. The CLI and the
 * API's `POST /v1/policy/explain` (the console's playground) both call this, so the two never
 * disagree.
 */
import type { ActionRequest, Decision } from '../../core/index.js';
import { closest } from '../did-you-mean.js';
import { decide } from '../decide/index.js';
import { PolicyError, PolicyErrorCode } from '../errors.js';
import type { CompiledPolicy } from '../policy/index.js';
import { formatDecision } from './format.js';
import { parseJson } from './json.js';
import { parseInstant, REQUEST_KEYS, RequestSchema, toActionRequest } from './request.js';

const bad = (source: string, message: string, hint?: string, line = 1, column = 1): PolicyError =>
  new PolicyError(PolicyErrorCode.BadRequest, message, { file: source, line, column, ...(hint ? { hint } : {}) });

/** The request in `text` (JSON), or an error naming `source`, the line and column, and what to write. */
export function parseRequestText(text: string, source = '--action'): { ok: true; request: ActionRequest } | { ok: false; error: PolicyError } {
  const json = parseJson(text);
  if (!json.ok) {
    const { offset, line, column, message } = json.error;
    return {
      ok: false,
      error: bad(source, `invalid JSON at position ${offset} (line ${line}, column ${column}): ${message}`,
        'quote the JSON for the shell, e.g. --action \'{"action":"refund","params":{"amount":75}}\'', line, column),
    };
  }
  const shaped = RequestSchema.safeParse(json.value);
  if (shaped.success) return { ok: true, request: toActionRequest(shaped.data) };
  const issues = shaped.error.issues;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const near = closest(key, REQUEST_KEYS);
    return { ok: false, error: bad(source, `unknown request field "${key}"`, near ? `did you mean ${near}?` : `request fields: ${REQUEST_KEYS.join(', ')}`) };
  }
  const where = issue.path.length ? issue.path.map(String).join('.') : 'request';
  const absent = issue.path.length === 1 && json.value !== null && typeof json.value === 'object' && !Array.isArray(json.value) &&
    (json.value as Record<string, unknown>)[String(issue.path[0])] === undefined;
  return {
    ok: false,
    error: bad(source, absent ? `the request has no "${where}"` : `${where}: ${issue.message}`, 'a request is {"action": "...", "resource"?: "...", "params"?: {...}, "context"?: {...}, "agent"?: "..."}'),
  };
}

/** The instant in `text` (ISO-8601 with a zone), or an error naming `source`. */
export function parseAt(text: string, source = '--at'): { ok: true; ms: number } | { ok: false; error: PolicyError } {
  const at = parseInstant(text);
  return at.ok ? at : { ok: false, error: bad(source, at.message, 'write an ISO-8601 time with a zone, e.g. 2026-11-24T10:00:00Z') };
}

/** `decide(policy, request, now)` and its explanation as `policy explain` prints it (`file` names the policy). */
export function explainDecision(policy: CompiledPolicy, request: ActionRequest, now: number, file: string): { decision: Decision; text: string } {
  const decision = decide(policy, request, now);
  return { decision, text: formatDecision(decision, file) };
}
