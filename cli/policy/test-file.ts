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
import type { ActionRequest } from '../../core/index.js';
import { nodeAt, parsePositioned, PolicyError, PolicyErrorCode, positionOf } from '../../triggers/index.js';
import { parseInstant, toActionRequest } from '../../triggers/index.js';
import { issueErrors } from './test-file-issues.js';
import { TestFileSchema, type Expectation } from './test-file-schema.js';

export { TestFileSchema, type Expectation };

/** The time a case is decided at when neither the case nor the file says: Tuesday 10:00 UTC. */
export const DEFAULT_AT = '2026-11-24T10:00:00Z';

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

/** A parsed test file. */
export interface TestFile {
  readonly file: string;
  /** Path of the policy as written in the file. */
  readonly policy: string;
  /** The policy's path joined onto the test file's directory (as the user would type it). */
  readonly policyPath: string;
  readonly cases: readonly TestCase[];
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
      line: positionOf(p, nodeAt(p, ['tests', i], { stringKeys: true }).node).line,
    };
  });
  const policy = parsed.data.policy;
  const policyPath = isAbsolute(policy) ? policy : join(dirname(file), policy);
  return { ok: true, value: { file, policy, policyPath, cases } };
}
