/**
 * Broken policies: each case is a shipped blueprint with one edit (or a tiny YAML string), and the
 * test pins the code, line and column of the FIRST error. Positions are those of the offending
 * YAML node — the key for unknown keys, the value for bad values — plus, for expressions,
 * durations and change windows, the offset inside the string (+1 for a quoted scalar's opening quote).
 * A few cases run through `countersign policy lint` in-process to pin the printed format too.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';
import { loadPolicy, PolicyLoadError, type PolicyError } from '../../triggers/index.js';
import { channelNames } from '../../integrations/index.js';

const root = new URL('../../', import.meta.url);
const blueprint = (name: string): string => readFileSync(new URL(`policies/${name}.yaml`, root), 'utf8');
const CS = blueprint('customer-support');
const SO = blueprint('security-ops');
const IM = blueprint('infra-management');
const SA = blueprint('sales-ops');

/** `text` with the first `from` replaced by `to`; fails loudly when `from` is not there. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`edit: ${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}

/** Approver group names from the shipped service config, as `policy lint` reads them. */
const GROUPS = new Set(Object.keys((parse(readFileSync(new URL('countersign.yaml', root), 'utf8')) as { groups: Record<string, unknown> }).groups));

interface Case {
  name: string;
  text: string;
  code: string;
  line: number;
  column: number;
  groups?: boolean;
  /** A substring (or pattern) of the first error's hint. */
  hint?: string | RegExp;
  /** A substring of the first error's message. */
  message?: string;
}

const CASES: Case[] = [
  // YAML syntax
  { name: 'bad indentation', text: edit(CS, '    write: [tickets, internal_notes]', '     write: [tickets, internal_notes]'), code: 'yaml-syntax', line: 16, column: 1 },
  { name: 'unclosed flow sequence', text: edit(CS, 'write: [tickets, internal_notes]', 'write: [tickets, internal_notes'), code: 'yaml-syntax', line: 17, column: 5 },
  { name: 'tab as indentation', text: edit(CS, '    write: [tickets', '\twrite: [tickets'), code: 'yaml-syntax', line: 16, column: 1, hint: 'tabs' },
  { name: 'duplicate key', text: edit(CS, '      channel: slack', '      channel: slack\n      channel: teams'), code: 'yaml-syntax', line: 23, column: 7 },
  // expressions: node position + offset inside the string + 1 for the opening quote
  { name: 'amount >> 5', text: edit(CS, 'refund.amount > 50', 'refund.amount >> 5'), code: 'expr-unknown-operator', line: 20, column: 31, hint: '==' },
  { name: 'unterminated string', text: edit(IM, "environment == 'staging'", "environment == 'staging"), code: 'expr-unterminated-string', line: 9, column: 36 },
  { name: 'unknown operator =', text: edit(IM, "environment == 'staging'", "environment = 'staging'"), code: 'expr-unknown-operator', line: 9, column: 33, message: '==' },
  { name: 'dangling AND', text: edit(IM, "environment == 'production' AND factor <= 2", "environment == 'production' AND"), code: 'expr-unexpected-end', line: 12, column: 52 },
  { name: 'unclosed parenthesis', text: edit(IM, "environment == 'production' AND factor > 2", "(environment == 'production' AND factor > 2"), code: 'expr-unexpected-end', line: 15, column: 64 },
  { name: 'empty trigger', text: edit(CS, '"refund.amount > 50"', '""'), code: 'invalid-value', line: 20, column: 16 },
  // unknown keys: the key's position, with a did-you-mean hint
  { name: 'approvalWorkflow (misspelt)', text: edit(CS, 'approvalWorkflows:', 'approvalWorkflow:'), code: 'unknown-key', line: 19, column: 3, hint: /did you mean `?approvalWorkflows`?\?/ },
  { name: 'maxActionsPerMinut', text: edit(SO, 'maxActionsPerMinute', 'maxActionsPerMinut'), code: 'unknown-key', line: 32, column: 5, hint: /did you mean `?maxActionsPerMinute`?\?/ },
  { name: 'securty at the top level', text: 'blueprint: x\nsecurity: {}\nsecurty: {}\n', code: 'unknown-key', line: 3, column: 1, hint: 'security' },
  // change windows
  { name: 'tue-thu/25:00-17:00/UTC', text: edit(IM, 'tue-thu/09:00-17:00/UTC', 'tue-thu/25:00-17:00/UTC'), code: 'bad-change-window', line: 30, column: 28 },
  { name: 'unknown day thr', text: edit(IM, 'tue-thu/09:00-17:00/UTC', 'tue-thr/09:00-17:00/UTC'), code: 'bad-change-window', line: 30, column: 24, hint: 'thu' },
  { name: 'unknown time zone', text: edit(IM, 'tue-thu/09:00-17:00/UTC', 'tue-thu/09:00-17:00/Mars/Olympus'), code: 'unknown-time-zone', line: 30, column: 40 },
  // groups and channels
  { name: 'unknown approver group', text: edit(CS, 'approver: support-leads', 'approver: support-lead'), groups: true, code: 'unknown-group', line: 21, column: 17, hint: 'support-leads' },
  { name: 'unknown group in execute approval', text: edit(IM, 'approval: platform-lead', 'approval: platform-leed'), groups: true, code: 'unknown-group', line: 16, column: 19, hint: 'platform-lead' },
  { name: 'unknown channel slak', text: edit(CS, 'channel: slack', 'channel: slak'), code: 'unknown-channel', line: 22, column: 16, hint: 'slack' },
  // durations
  { name: 'cooldown 60x', text: edit(SO, 'cooldownAfterRemediation: 60s', 'cooldownAfterRemediation: 60x'), code: 'bad-duration', line: 34, column: 33 },
  { name: 'cooldown -5s', text: edit(SO, 'cooldownAfterRemediation: 60s', 'cooldownAfterRemediation: -5s'), code: 'bad-duration', line: 34, column: 31, hint: '5s' },
  { name: 'sla "5 minutes"', text: edit(CS, '      channel: slack', '      channel: slack\n      sla: 5 minutes'), code: 'bad-duration', line: 23, column: 13 },
  // missing fields
  { name: 'approver missing', text: edit(CS, '      approver: support-leads\n', ''), code: 'missing-field', line: 20, column: 7, message: 'approver' },
  { name: 'approval missing in execute', text: edit(SO, '        approval: soc-lead  # Always requires lead approval\n', ''), code: 'missing-field', line: 14, column: 9, message: 'approval' },
  { name: 'blueprint missing', text: edit(CS, 'blueprint: customer-support\n', ''), code: 'missing-field', line: 1, column: 1, message: 'blueprint' },
  { name: 'escalateTo without escalateAfter', text: edit(CS, '      channel: slack', '      channel: slack\n      escalateTo: tier2-support'), code: 'missing-field', line: 23, column: 19 },
  { name: 'empty file', text: '', code: 'missing-field', line: 1, column: 1 },
  { name: 'a list instead of a map', text: '- a\n- b\n', code: 'missing-field', line: 1, column: 1 },
  // bad values
  { name: 'quorum 0', text: edit(CS, '      channel: slack', '      channel: slack\n      quorum: 0'), code: 'invalid-value', line: 23, column: 15 },
  { name: 'non-integer quorum', text: edit(CS, '      channel: slack', '      channel: slack\n      quorum: 1.5'), code: 'invalid-value', line: 23, column: 15 },
  { name: 'security is not a map', text: 'blueprint: x\nsecurity: strict\n', code: 'invalid-value', line: 2, column: 11 },
  { name: 'execute entry with both playbook and action', text: edit(SO, '      - playbook: "isolate-host"\n', '      - playbook: "isolate-host"\n        action: "isolate"\n'), code: 'invalid-value', line: 14, column: 9 },
  { name: 'isolationLevel medium', text: edit(SO, 'isolationLevel: strict', 'isolationLevel: medium'), code: 'invalid-value', line: 3, column: 19, hint: 'strict' },
  { name: 'read is a scalar', text: edit(CS, 'read: [tickets, customer_profiles, knowledge_base, order_history]', 'read: tickets'), code: 'invalid-value', line: 15, column: 11 },
  { name: 'send mode sometimes', text: edit(SA, 'send: allowed-with-review', 'send: sometimes'), code: 'invalid-value', line: 22, column: 13 },
  { name: 'blueprint name not lowercase', text: edit(CS, 'blueprint: customer-support', 'blueprint: Customer Support'), code: 'invalid-value', line: 1, column: 12 },
];

function firstError(c: Case): PolicyError {
  try {
    loadPolicy(c.text, c.groups ? { file: 'broken.yaml', groups: GROUPS, channels: channelNames() } : { file: 'broken.yaml', channels: channelNames() });
  } catch (err) {
    if (!(err instanceof PolicyLoadError)) throw err;
    expect(err.errors.length).toBeGreaterThan(0);
    return err.errors[0]!;
  }
  throw new Error(`${c.name}: the policy loaded without errors`);
}

describe('broken policies: code, line and column of the first error', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(GROUPS.has('support-leads')).toBe(true);
  });

  it.each(CASES)('$name → $code at $line:$column', (c) => {
    const e = firstError(c);
    expect({ code: e.code, line: e.line, column: e.column }).toEqual({ code: c.code, line: c.line, column: c.column });
    expect(e.file).toBe('broken.yaml');
    expect(e.format()).toBe(`broken.yaml:${c.line}:${c.column}: ${c.code}: ${e.message}`);
    if (c.hint !== undefined) {
      expect(e.hint).toBeDefined();
      if (typeof c.hint === 'string') expect(e.hint!.toLowerCase()).toContain(c.hint.toLowerCase());
      else expect(e.hint).toMatch(c.hint);
    }
    if (c.message !== undefined) expect(e.message).toContain(c.message);
  });
});

describe('broken policies through `countersign policy lint`', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'countersign-broken-'));
    writeFileSync(join(dir, 'countersign.yaml'), readFileSync(new URL('countersign.yaml', root)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function lint(files: Record<string, string>, args: string[]): Promise<{ code: number; out: string; err: string }> {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const io = captureIO({ cwd: dir });
    const code = await main(['policy', 'lint', ...args], io);
    return { code, out: io.stdoutText(), err: io.stderrText() };
  }

  it('misspelt approvalWorkflows: one line plus the hint indented by two spaces', async () => {
    const r = await lint({ 'misspelt.yaml': edit(CS, 'approvalWorkflows:', 'approvalWorkflow:') }, ['misspelt.yaml']);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^misspelt\.yaml:19:3: unknown-key: /);
    expect(lines[1]).toMatch(/^ {2}did you mean `?approvalWorkflows`?\?$/);
  });

  it('unknown group is checked against groups: in the config', async () => {
    const r = await lint({ 'group.yaml': edit(CS, 'approver: tier2-support', 'approver: tier3-support') }, ['group.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^group\.yaml:27:17: unknown-group: /);
  });

  it('tab indentation is a yaml-syntax error', async () => {
    const r = await lint({ 'tab.yaml': edit(SO, '    read: [siem', '\tread: [siem') }, ['tab.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^tab\.yaml:6:1: yaml-syntax: /);
  });

  it('duplicate blueprint across the files linted', async () => {
    const copy = edit(SO, 'isolationLevel: strict', 'isolationLevel: paranoid');
    const r = await lint({ 'a-soc.yaml': SO, 'b-soc.yaml': copy }, ['a-soc.yaml', 'b-soc.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      'ok a-soc.yaml\n' +
        'b-soc.yaml:1:12: duplicate-blueprint: blueprint "security-ops" is already defined in a-soc.yaml\n' +
        '  blueprint names must be unique across the policy directory; rename one of them\n',
    );
  });
});
