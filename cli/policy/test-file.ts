/**
 * Policy test files (`*.test.yaml`), run by `countersign policy test` the way `opa test` runs Rego
 * tests: each case is one request decided under the policy at a fixed time, compared field by field
 * with what the author expects.
 *
 * ```yaml
 * policy: ../infra-management.yaml       # relative to this file
 * at: 2026-11-24T10:00:00Z               # optional default for every case (built-in: DEFAULT_AT)
 * tests:
 *   - name: staging scale is automatic
 *     at: 2026-11-24T10:00:00Z            # optional, ISO-8601 with a zone
 *     request: { action: scale.horizontal, params: { environment: staging, factor: 3 }, context: { ticket: OPS-1 } }
 *     expect: { verdict: auto_approve }
 * ```
 *
 * `request` is `{action, resource?, params?, context?, agent?}` (agent defaults to `cli`).
 * `expect` holds at least one of:
 * - `verdict`: `auto_approve` | `require_approval` | `deny`
 * - `approvers`: a group name or a list of them (compared in order)
 * - `channel`: `slack` | `teams` | `pagerduty` | `zendesk` | `web`
 * - `quorum`, `slaSeconds`: whole numbers
 * - `reason`: a substring of the decision's reason (case-insensitive)
 * - `rule`: the deciding rule's path, e.g. `security.approvalWorkflows[0]`
 *
 * Unknown keys are errors, positioned like `policy lint` errors.
 */
import { dirname, join, isAbsolute } from 'node:path';
import { z } from 'zod';
import { CHANNELS, PolicyError, PolicyErrorCode, Verdict, type ActionRequest, type Channel } from '../../triggers/index.js';
import { parseInstant, RequestSchema, toActionRequest } from './request.js';
import { closest, keyNodeAt, nodeAt, parsePositioned, positionOf, type Positioned } from './yaml-nodes.js';

/** The time a case is decided at when neither the case nor the file says: Tuesday 10:00 UTC. */
export const DEFAULT_AT = '2026-11-24T10:00:00Z';

const instant = z.union([z.string(), z.date().transform((d) => d.toISOString())]).superRefine((value, ctx) => {
  const r = parseInstant(value);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
});

const ExpectSchema = z
  .strictObject({
    verdict: z.enum([Verdict.AutoApprove, Verdict.RequireApproval, Verdict.Deny]).optional(),
    approvers: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    channel: z.enum(CHANNELS as [Channel, ...Channel[]]).optional(),
    quorum: z.number().int().min(0).optional(),
    slaSeconds: z.number().int().min(0).optional(),
    reason: z.string().min(1).optional(),
    rule: z.string().min(1).optional(),
  })
  .refine((e) => Object.values(e).some((v) => v !== undefined), { message: 'expect must name at least one field' });

const CaseSchema = z.strictObject({
  name: z.string().min(1),
  at: instant.optional(),
  request: RequestSchema,
  expect: ExpectSchema,
});

export const TestFileSchema = z.strictObject({
  policy: z.string().min(1),
  at: instant.optional(),
  tests: z.array(CaseSchema).min(1, 'tests must list at least one case'),
});

export type Expectation = z.infer<typeof ExpectSchema>;

/** One case, ready to run. */
export interface TestCase {
  readonly name: string;
  /** Epoch milliseconds. */
  readonly now: number;
  readonly at: string;
  readonly request: ActionRequest;
  readonly expect: Expectation;
  readonly line: number;
}

export interface TestFile {
  readonly file: string;
  /** Path of the policy as written in the file. */
  readonly policy: string;
  /** The policy's path joined onto the test file's directory (as the user would type it). */
  readonly policyPath: string;
  readonly cases: readonly TestCase[];
}

/** Known keys by schema level, for "did you mean" hints. */
const KEYS: Record<string, readonly string[]> = {
  file: Object.keys(TestFileSchema.shape),
  case: Object.keys(CaseSchema.shape),
  request: Object.keys(RequestSchema.shape),
  expect: ['verdict', 'approvers', 'channel', 'quorum', 'slaSeconds', 'reason', 'rule'],
};

function levelOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'file';
  if (path.length === 2) return 'case';
  return String(path[2]);
}

function dotted(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? String(seg) : `.${String(seg)}`;
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function issueErrors(file: string, p: Positioned, data: unknown, issues: readonly z.core.$ZodIssue[]): PolicyError[] {
  const errors: PolicyError[] = [];
  const withUnknownKeys = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => dotted(i.path)));
  for (const issue of issues) {
    const path = issue.path;
    const where = dotted(path);
    // "expect must name at least one field" is noise next to the misspelt key that caused it.
    if (issue.code === 'custom' && withUnknownKeys.has(where)) continue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const near = closest(key, KEYS[levelOf(path)] ?? []);
        const pos = positionOf(p, keyNodeAt(p, path, key));
        errors.push(
          new PolicyError(PolicyErrorCode.UnknownKey, `unknown key "${key}"${where ? ` in ${where}` : ''}`, {
            file,
            ...pos,
            path: where ? `${where}.${key}` : key,
            hint: near ? `did you mean ${near}?` : `known keys: ${(KEYS[levelOf(path)] ?? []).join(', ')}`,
          }),
        );
      }
      continue;
    }
    const missing = path.length > 0 && valueAt(data, path) === undefined;
    if (missing) {
      const parent = path.slice(0, -1);
      const pos = positionOf(p, nodeAt(p, parent).node);
      errors.push(
        new PolicyError(PolicyErrorCode.MissingField, `missing ${String(path[path.length - 1])}${parent.length ? ` in ${dotted(parent)}` : ''}`, {
          file,
          ...pos,
          path: where,
        }),
      );
      continue;
    }
    const pos = positionOf(p, nodeAt(p, path).node);
    const message = issue.code === 'invalid_value'
      ? `${where} is ${JSON.stringify(valueAt(data, path))}; it must be one of ${issue.values.map(String).join(', ')}`
      : `${where || 'test file'}: ${issue.message}`;
    errors.push(
      new PolicyError(PolicyErrorCode.InvalidValue, message, {
        file,
        ...pos,
        path: where,
        ...(path[path.length - 1] === 'verdict' ? { hint: 'use auto_approve, require_approval or deny' } : {}),
      }),
    );
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return errors;
}

/**
 * Parses and validates a test file.
 * @param file the path shown in errors and used to resolve `policy:`.
 * @throws PolicyError[] (as `{ errors }` in the result) — never throws.
 */
export function parseTestFile(file: string, text: string): { ok: true; value: TestFile } | { ok: false; errors: PolicyError[] } {
  const p = parsePositioned(text);
  if (p.problems.length > 0) {
    return {
      ok: false,
      errors: p.problems.map((e) => new PolicyError(PolicyErrorCode.YamlSyntax, e.message, { file, line: e.line, column: e.column })),
    };
  }
  const data: unknown = p.doc.toJS();
  const parsed = TestFileSchema.safeParse(data);
  if (!parsed.success) return { ok: false, errors: issueErrors(file, p, data, parsed.error.issues) };
  const fileAt = parsed.data.at ?? DEFAULT_AT;
  const cases = parsed.data.tests.map((c, i): TestCase => {
    const at = c.at ?? fileAt;
    const r = parseInstant(at);
    return {
      name: c.name,
      at,
      now: r.ok ? r.ms : Number.NaN,
      request: toActionRequest(c.request),
      expect: c.expect,
      line: positionOf(p, nodeAt(p, ['tests', i]).node).line,
    };
  });
  const policy = parsed.data.policy;
  const policyPath = isAbsolute(policy) ? policy : join(dirname(file), policy);
  return { ok: true, value: { file, policy, policyPath, cases } };
}
