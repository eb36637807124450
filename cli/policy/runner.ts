/**
 * Runs policy test files (see test-file.ts for the format): every case is decided with the real
 * `decide()` under the real compiled policy and compared field by field.
 */
import type { Decision } from '../../core/index.js';
import { decide, type CompiledPolicy, PolicyError } from '../../triggers/index.js';
import { FileError, readSource } from './files.js';
import { formatErrors } from '../../triggers/index.js';
import { loadPolicyFile } from './load.js';
import { parseTestFile, type Expectation, type TestCase } from './test-file.js';

/** One field that did not match. */
export interface FieldDiff {
  readonly field: keyof Expectation;
  readonly expected: string;
  readonly actual: string;
}

export interface CaseResult {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly diffs: readonly FieldDiff[];
  readonly decision: Decision | null;
}

export interface RunSummary {
  readonly passed: number;
  readonly failed: number;
  readonly results: readonly CaseResult[];
}

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'string' ? v : JSON.stringify(v));

/** Compares one decision with an expectation; empty when everything named matches. */
export function compare(decision: Decision, expect: Expectation): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  const check = (field: keyof Expectation, ok: boolean, expected: unknown, actual: unknown): void => {
    if (!ok) diffs.push({ field, expected: show(expected), actual: show(actual) });
  };
  if (expect.verdict !== undefined) check('verdict', decision.verdict === expect.verdict, expect.verdict, decision.verdict);
  if (expect.approvers !== undefined) {
    const want = typeof expect.approvers === 'string' ? [expect.approvers] : expect.approvers;
    const same = want.length === decision.approvers.length && want.every((g, i) => decision.approvers[i] === g);
    check('approvers', same, want, decision.approvers);
  }
  if (expect.channel !== undefined) check('channel', decision.channel === expect.channel, expect.channel, decision.channel);
  if (expect.quorum !== undefined) check('quorum', decision.quorum === expect.quorum, expect.quorum, decision.quorum);
  if (expect.slaSeconds !== undefined) check('slaSeconds', decision.slaSeconds === expect.slaSeconds, expect.slaSeconds, decision.slaSeconds);
  if (expect.reason !== undefined) {
    const ok = decision.reason.toLowerCase().includes(expect.reason.toLowerCase());
    check('reason', ok, `…${expect.reason}…`, decision.reason);
  }
  if (expect.rule !== undefined) check('rule', decision.rule.path === expect.rule, expect.rule, decision.rule.path);
  return diffs;
}

function runCase(policy: CompiledPolicy, file: string, c: TestCase): CaseResult {
  let decision: Decision;
  try {
    decision = decide(policy, c.request, c.now);
  } catch (err) {
    // decide() must never throw; a throw is a failure of the case, shown as such.
    const message = err instanceof Error ? err.message : String(err);
    return { file, name: c.name, passed: false, diffs: [{ field: 'verdict', expected: 'a decision', actual: `decide() threw: ${message}` }], decision: null };
  }
  const diffs = compare(decision, c.expect);
  return { file, name: c.name, passed: diffs.length === 0, diffs, decision };
}

/** Renders a failed case's diff: one block per field, expected above actual. */
export function formatDiff(result: CaseResult): string {
  const lines: string[] = [];
  for (const d of result.diffs) {
    lines.push(`  ${d.field}:`);
    lines.push(`    expected: ${d.expected}`);
    lines.push(`    actual:   ${d.actual}`);
  }
  if (result.decision) {
    const d = result.decision;
    const route = d.verdict === 'require_approval' ? ` → ${d.approvers.join(', ') || '(no approver)'} on ${d.channel}` : '';
    lines.push(`  decided: ${d.verdict}${route} by ${d.rule.path || '(no rule)'}${d.rule.line > 0 ? ` (line ${d.rule.line})` : ''}: ${d.reason}`);
  }
  return lines.join('\n');
}

/**
 * Runs the test files, printing `PASS <file>: <name>` / `FAIL <file>: <name>` (+ diff) per case to
 * `out`, and positioned errors for files that cannot run (each of their cases counts as failed).
 */
export function runTestFiles(cwd: string, files: readonly string[], out: (text: string) => void): RunSummary {
  const results: CaseResult[] = [];
  let failed = 0;
  let passed = 0;
  const policies = new Map<string, ReturnType<typeof loadPolicyFile>>();
  for (const file of files) {
    let text: string;
    try {
      text = readSource(cwd, file).text;
    } catch (err) {
      out(err instanceof FileError ? `${file}:0:0: io: ${err.message}` : String(err));
      failed++;
      continue;
    }
    const parsed = parseTestFile(file, text);
    if (!parsed.ok) {
      out(formatErrors(parsed.errors));
      failed++;
      continue;
    }
    const tf = parsed.value;
    let loaded = policies.get(tf.policyPath);
    if (!loaded) {
      loaded = loadPolicyFile(cwd, tf.policyPath);
      policies.set(tf.policyPath, loaded);
    }
    if (!loaded.ok) {
      out(`FAIL ${file}: policy ${tf.policy} does not load`);
      out(formatErrors(loaded.errors.map((e) => e as PolicyError)));
      failed += tf.cases.length;
      continue;
    }
    for (const c of tf.cases) {
      const r = runCase(loaded.policy, file, c);
      results.push(r);
      if (r.passed) {
        passed++;
        out(`PASS ${file}: ${c.name}`);
      } else {
        failed++;
        out(`FAIL ${file}: ${c.name}\n${formatDiff(r)}`);
      }
    }
  }
  return { passed, failed, results };
}

/** `12 passed, 0 failed` */
export function formatSummary(s: { passed: number; failed: number }): string {
  return `${s.passed} passed, ${s.failed} failed`;
}
