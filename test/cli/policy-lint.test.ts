/**
 * `countersign policy lint`: exact output for good and bad files, directories, config handling.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';

const repo = new URL('../../', import.meta.url).pathname;
const read = (p: string): string => readFileSync(join(repo, p), 'utf8');

async function run(args: string[], cwd = repo, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO({ cwd, env });
  const code = await main(args, io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

describe('policy lint', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-lint-'));
    writeFileSync(join(dir, 'countersign.yaml'), read('countersign.yaml'));
    writeFileSync(join(dir, 'good.yaml'), read('policies/customer-support.yaml'));
    writeFileSync(join(dir, 'bad.yaml'), read('policies/customer-support.yaml').replace('channel: slack', 'channel: slak').replace('blueprint: customer-support', 'blueprint: cs-copy'));
    mkdirSync(join(dir, 'only-tests'));
    writeFileSync(join(dir, 'only-tests', 'x.test.yaml'), 'policy: ../good.yaml\ntests: []\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints ok per file for the shipped policies directory and exits 0', async () => {
    const r = await run(['policy', 'lint', 'policies/']);
    expect(r.out).toBe(
      ['customer-support', 'infra-management', 'sales-ops', 'security-ops'].map((n) => `ok policies/${n}.yaml\n`).join(''),
    );
    expect(r.code).toBe(0);
    expect(r.err).toBe(''); // ./countersign.yaml exists in the repo: no note
  });

  it('lints single files and skips *.test.yaml in directories', async () => {
    const r = await run(['policy', 'lint', 'policies/security-ops.yaml', 'policies/tests/']);
    expect(r.code).toBe(1); // policies/tests/ holds no policy files
    expect(r.out).toBe('ok policies/security-ops.yaml\npolicies/tests/:0:0: io: policies/tests/ holds no policy files (*.yaml, *.yml)\n');
  });

  it('prints file:line:col: code: message with the hint indented on the next line, exit 1', async () => {
    const r = await run(['policy', 'lint', 'good.yaml', 'bad.yaml'], dir);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('ok good.yaml');
    expect(lines[1]).toMatch(/^bad\.yaml:22:16: unknown-channel: .*slak/);
    expect(lines[2]).toMatch(/^ {2}\S.*slack/);
    expect(lines.length).toBe(4); // trailing newline
  });

  it('checks approver groups against --config and notes when the config is missing', async () => {
    const cfg = join(dir, 'small.yaml');
    writeFileSync(cfg, 'groups:\n  support-leads: [alice]\n');
    const strict = await run(['policy', 'lint', 'good.yaml', '--config', cfg], dir);
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/^good\.yaml:24:17: unknown-group: .*account-managers/m);

    const missing = await run(['policy', 'lint', 'good.yaml', '--config', join(dir, 'nope.yaml')], dir);
    expect(missing.code).toBe(0);
    expect(missing.out).toBe('ok good.yaml\n');
    expect(missing.err).toMatch(/^note: config .*nope\.yaml not found; approver groups are not checked/);

    const fromEnv = await run(['policy', 'lint', 'good.yaml'], dir, { COUNTERSIGN_CONFIG: cfg });
    expect(fromEnv.code).toBe(1);
  });

  it.each([
    {
      name: 'a binding to a blueprint no policy defines is an error at its line and column',
      agents: '  - { id: bot, apiKey: k-0000000000000001, blueprints: [customer-support, finance] }\n',
      code: 1,
      out: 'ok policies/customer-support.yaml\nok policies/infra-management.yaml\nok policies/sales-ops.yaml\nok policies/security-ops.yaml\n' +
        'CFG:2:75: unknown-blueprint: agent bot is bound to blueprint "finance", which no linted policy defines\n' +
        '  bind it to one of customer-support, infra-management, sales-ops, security-ops, or add the policy; an agent can never submit to a blueprint that is not loaded\n',
      err: '',
    },
    {
      name: 'a binding to every blueprint is a warning',
      agents: '  - id: bot\n    apiKey: k-0000000000000001\n    blueprints: ["*"]\n',
      code: 0,
      out: 'ok policies/customer-support.yaml\nok policies/infra-management.yaml\nok policies/sales-ops.yaml\nok policies/security-ops.yaml\n',
      err: 'warning: CFG:4:18: agent bot is bound to every blueprint ("*"): bind it to the blueprints it acts through\n',
    },
  ])('agents[].blueprints with a policy directory: $name', async ({ agents, code, out, err }) => {
    const cfg = join(dir, 'bindings.yaml');
    writeFileSync(cfg, `agents:\n${agents}groups:\n${read('countersign.yaml').split('groups:\n')[1]}`);
    const r = await run(['policy', 'lint', 'policies/', '--config', cfg]);
    expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code, out: out.replaceAll('CFG', cfg), err: err.replaceAll('CFG', cfg) });
    // One file alone defines too few blueprints to judge the bindings by.
    expect((await run(['policy', 'lint', 'policies/security-ops.yaml', '--config', cfg])).code).toBe(0);
  });

  it('reports an unreadable path in the lint format', async () => {
    const r = await run(['policy', 'lint', 'does-not-exist.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('does-not-exist.yaml:0:0: io: cannot read does-not-exist.yaml: no such file or directory\n');
  });

  it('usage errors exit 2', async () => {
    expect((await run(['policy', 'lint'])).code).toBe(2);
    expect((await run(['policy', 'lint', '--frobnicate', 'policies/'])).code).toBe(2);
  });
});
