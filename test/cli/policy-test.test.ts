/**
 * `countersign policy test`: PASS/FAIL lines, the summary line, diffs and exit codes; test-file
 * validation errors positioned like lint errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';

const repo = new URL('../../', import.meta.url).pathname;

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO({ cwd });
  const code = await main(args, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('policy test', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-ptest-'));
    writeFileSync(join(dir, 'soc.yaml'), readFileSync(join(repo, 'policies/security-ops.yaml')));
    writeFileSync(
      join(dir, 'pass.test.yaml'),
      `policy: soc.yaml
tests:
  - name: known-malicious high score is automatic
    request: { action: block-ip, params: { threat_score: 95, source: known-malicious } }
    expect: { verdict: auto_approve, rule: "security.permissions.execute[0]" }
  - name: isolate-host needs the SOC lead
    request: { action: isolate-host }
    expect: { verdict: require_approval, approvers: [soc-lead], channel: web, quorum: 1, slaSeconds: 3600, reason: NEEDS APPROVAL }
`,
    );
    writeFileSync(
      join(dir, 'fail.test.yaml'),
      `policy: soc.yaml
at: 2026-11-24T10:00:00Z
tests:
  - name: wrong on purpose
    request: { action: block-ip, params: { threat_score: 69 } }
    expect: { verdict: auto_approve, approvers: soc-analyst }
  - name: right
    request: { action: disable-account }
    expect: { approvers: security-director }
`,
    );
    writeFileSync(
      join(dir, 'invalid.test.yaml'),
      `policy: soc.yaml
tests:
  - name: typo in expect
    request: { action: block-ip }
    expect: { verdit: deny }
  - name: bad verdict
    request: { action: block-ip }
    expect: { verdict: maybe }
`,
    );
    writeFileSync(join(dir, 'nopolicy.test.yaml'), 'policy: missing.yaml\ntests:\n  - name: x\n    request: { action: a }\n    expect: { verdict: deny }\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('all passing: PASS per case, summary, exit 0', async () => {
    const r = await run(['policy', 'test', 'pass.test.yaml'], dir);
    expect(r.out).toBe(
      'PASS pass.test.yaml: known-malicious high score is automatic\n' +
        'PASS pass.test.yaml: isolate-host needs the SOC lead\n' +
        '2 passed, 0 failed\n',
    );
    expect(r.code).toBe(0);
  });

  it('a failure: FAIL with an expected-vs-actual diff per field, summary, exit 1', async () => {
    const r = await run(['policy', 'test', 'fail.test.yaml'], dir);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('FAIL fail.test.yaml: wrong on purpose');
    expect(lines.slice(1, 7)).toEqual([
      '  verdict:',
      '    expected: auto_approve',
      '    actual:   deny',
      '  approvers:',
      '    expected: [soc-analyst]',
      '    actual:   []',
    ]);
    expect(lines[7]).toMatch(/^ {2}decided: deny by /);
    expect(lines[8]).toBe('PASS fail.test.yaml: right');
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
  });

  it('runs a directory of *.test.yaml files and the shipped tests pass', async () => {
    const r = await run(['policy', 'test', 'policies/tests/'], repo);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d+ passed, 0 failed\n$/m);
    expect(r.out).not.toMatch(/^FAIL/m);
  });

  it('an invalid test file: positioned errors (like lint), counted as failed, exit 1', async () => {
    const r = await run(['policy', 'test', 'invalid.test.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      'invalid.test.yaml:5:15: unknown-key: unknown key "verdit" in tests[0].expect\n' +
        '  did you mean verdict?\n' +
        'invalid.test.yaml:8:24: invalid-value: tests[1].expect.verdict is "maybe"; it must be one of auto_approve, require_approval, deny\n' +
        '  use auto_approve, require_approval or deny\n' +
        '0 passed, 1 failed\n',
    );
  });

  it('a test file whose policy cannot be read fails its cases', async () => {
    const r = await run(['policy', 'test', 'nopolicy.test.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      'FAIL nopolicy.test.yaml: policy missing.yaml does not load\n' +
        'missing.yaml:0:0: io: cannot read missing.yaml: no such file or directory\n' +
        '0 passed, 1 failed\n',
    );
  });

  it('usage: no paths is exit 2', async () => {
    expect((await run(['policy', 'test'], dir)).code).toBe(2);
  });
});
