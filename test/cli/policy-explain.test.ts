/**
 * `countersign policy explain`: human output, `--json` (exactly one object), bad input.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';
import { decide, loadPolicy } from '../../triggers/index.js';
import { readFileSync } from 'node:fs';
import { channelNames } from '../../integrations/index.js';

const repo = new URL('../../', import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO({ cwd: repo });
  const code = await main(args, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

const INFRA = 'policies/infra-management.yaml';
const SCALE = JSON.stringify({ action: 'scale.horizontal', params: { environment: 'production', factor: 2 }, context: { ticket: 'OPS-1' } });

describe('policy explain', () => {
  it('shows verdict, route, rule with file:line, reason and a numbered explanation', async () => {
    const r = await run(['policy', 'explain', 'policies/customer-support.yaml', '--action', '{"action":"refund","params":{"amount":75}}', '--at', '2026-11-24T10:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^verdict: +require_approval$/);
    expect(r.out).toMatch(/^approvers: +support-leads$/m);
    expect(r.out).toMatch(/^channel: +slack$/m);
    expect(r.out).toMatch(/^quorum: +1$/m);
    expect(r.out).toMatch(/^sla: +1h \(3600s\)$/m);
    expect(r.out).toMatch(/^rule: +security\.approvalWorkflows\[0\] \(policies\/customer-support\.yaml:20\)$/m);
    expect(r.out).toMatch(/^reason: +\S/m);
    const explanation = lines.slice(lines.indexOf('explanation:') + 1);
    expect(explanation.length).toBeGreaterThan(0);
    explanation.forEach((line, i) => expect(line).toMatch(new RegExp(`^  ${i + 1}\\. \\S`)));
  });

  it('--json prints exactly one JSON object with the fields of decide()', async () => {
    const r = await run(['policy', 'explain', INFRA, '--action', SCALE, '--at', '2026-11-28T10:00:00Z', '--json']);
    expect(r.code).toBe(0);
    expect(r.out.endsWith('\n')).toBe(true);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const parsed = JSON.parse(r.out) as Record<string, unknown>;
    const policy = loadPolicy(readFileSync(join(repo, INFRA), 'utf8'), { file: INFRA, channels: channelNames() });
    const expected = decide(policy, { ...(JSON.parse(SCALE) as object), agent: 'cli' } as never, Date.parse('2026-11-28T10:00:00Z'));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(parsed['verdict']).toBe('require_approval');
    expect(parsed['approvers']).toEqual(['vp-engineering']);
    expect(parsed['channel']).toBe('pagerduty');
  });

  it('exits 0 for deny and auto verdicts; agent defaults to cli', async () => {
    const deny = await run(['policy', 'explain', 'policies/customer-support.yaml', '--action', '{"action":"write","resource":"billing"}', '--json']);
    expect(deny.code).toBe(0);
    expect(JSON.parse(deny.out).verdict).toBe('deny');
    const auto = await run(['policy', 'explain', 'policies/customer-support.yaml', '--action', '{"action":"read","resource":"tickets"}']);
    expect(auto.code).toBe(0);
    expect(auto.out).toMatch(/^verdict: +auto_approve$/m);
    expect(auto.out).not.toMatch(/^approvers:/m);
  });

  it('bad --action JSON: exit 1, lint-format error naming the position', async () => {
    const r = await run(['policy', 'explain', INFRA, '--action', '{"action": "scale.horizontal", params: {}}']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^--action:1:32: bad-request: invalid JSON at position 31 \(line 1, column 32\): expected a property name in double quotes/);
    expect(r.err.split('\n')[1]).toMatch(/^ {2}\S/);

    const truncated = await run(['policy', 'explain', INFRA, '--action', '{"action":"x"']);
    expect(truncated.code).toBe(1);
    expect(truncated.err).toMatch(/^--action:1:14: bad-request: invalid JSON at position 13 .*end of input/);
  });

  it('a request without action, or with an unknown field, is bad input', async () => {
    const none = await run(['policy', 'explain', INFRA, '--action', '{"params":{}}']);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^--action:1:1: bad-request: the request has no "action"/);
    const typo = await run(['policy', 'explain', INFRA, '--action', '{"action":"x","parms":{}}']);
    expect(typo.code).toBe(1);
    expect(typo.err).toMatch(/unknown request field "parms"\n {2}did you mean params\?/);
  });

  it('bad --at: exit 1 with a lint-format error', async () => {
    for (const at of ['tomorrow', '2026-11-24T10:00:00', '2026-02-30T10:00:00Z']) {
      const r = await run(['policy', 'explain', INFRA, '--action', SCALE, '--at', at]);
      expect(r.code, at).toBe(1);
      expect(r.err).toMatch(/^--at:1:1: bad-request: ".*" is not an ISO-8601 time/);
    }
  });

  it('an invalid or missing policy: exit 1 with lint-format errors', async () => {
    const r = await run(['policy', 'explain', 'policies/nope.yaml', '--action', SCALE]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('policies/nope.yaml:0:0: io: cannot read policies/nope.yaml: no such file or directory\n');
  });

  it('missing --action is a usage error (exit 2)', async () => {
    expect((await run(['policy', 'explain', INFRA])).code).toBe(2);
  });
});
