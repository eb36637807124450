/**
 * The four shipped blueprints (policies/*.yaml, verbatim from the user's blog post) decide the way
 * the post describes. The same expectations ship as policies/tests/*.test.yaml; both must hold.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSummary, runTestFiles } from '../../cli/policy/runner.js';
import { decide, loadPolicy, type CompiledPolicy } from '../../triggers/index.js';
import { type ActionRequest, type Decision } from '../../core/index.js';
import { channelNames } from '../../integrations/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const load = (name: string): CompiledPolicy =>
  loadPolicy(readFileSync(`${root}policies/${name}.yaml`, 'utf8'), { file: `policies/${name}.yaml`, channels: channelNames() });

const TUESDAY = Date.parse('2026-11-24T10:00:00Z');
const SATURDAY = Date.parse('2026-11-28T10:00:00Z');

type Expect = Partial<Pick<Decision, 'verdict' | 'channel' | 'quorum'>> & { approvers?: string[]; rule?: string; reason?: string };
type Row = [name: string, request: Omit<ActionRequest, 'agent'>, expect: Expect, at?: number];

const TABLE: Record<string, Row[]> = {
  'customer-support': [
    ['refund 75 → support-leads on slack', { action: 'refund', params: { amount: 75 } }, { verdict: 'require_approval', approvers: ['support-leads'], channel: 'slack', rule: 'security.approvalWorkflows[0]' }],
    ['refund 50 → not the refund trigger; least privilege denies', { action: 'refund', params: { amount: 50 } }, { verdict: 'deny', rule: 'security.permissions' }],
    ['refund with no amount → a person decides', { action: 'refund', params: {} }, { verdict: 'require_approval', approvers: ['support-leads'] }],
    ['account.modify → account-managers on teams', { action: 'account.modify' }, { verdict: 'require_approval', approvers: ['account-managers'], channel: 'teams' }],
    ['escalate.to-human → tier2-support on zendesk', { action: 'escalate.to-human' }, { verdict: 'require_approval', approvers: ['tier2-support'], channel: 'zendesk' }],
    ['write billing → deny (restricted)', { action: 'write', resource: 'billing' }, { verdict: 'deny', reason: 'restricted' }],
    ['read tickets → auto', { action: 'read', resource: 'tickets' }, { verdict: 'auto_approve' }],
    ['write tickets → auto', { action: 'write', resource: 'tickets' }, { verdict: 'auto_approve' }],
    ['write order_history → deny (read only)', { action: 'write', resource: 'order_history' }, { verdict: 'deny' }],
  ],
  'security-ops': [
    ['block-ip 95 known-malicious → auto', { action: 'block-ip', params: { threat_score: 95, source: 'known-malicious' } }, { verdict: 'auto_approve', rule: 'security.permissions.execute[0]' }],
    ['block-ip 95 unknown → soc-analyst', { action: 'block-ip', params: { threat_score: 95, source: 'unknown' } }, { verdict: 'require_approval', approvers: ['soc-analyst'] }],
    ['block-ip 70 → soc-analyst', { action: 'block-ip', params: { threat_score: 70, source: 'known-malicious' } }, { verdict: 'require_approval', approvers: ['soc-analyst'] }],
    ['block-ip 69 → deny', { action: 'block-ip', params: { threat_score: 69, source: 'known-malicious' } }, { verdict: 'deny' }],
    ['block-ip without threat_score → soc-analyst, never auto', { action: 'block-ip', params: { source: 'known-malicious' } }, { verdict: 'require_approval', approvers: ['soc-analyst'] }],
    ['isolate-host → soc-lead', { action: 'isolate-host' }, { verdict: 'require_approval', approvers: ['soc-lead'] }],
    ['disable-account → security-director', { action: 'disable-account' }, { verdict: 'require_approval', approvers: ['security-director'] }],
    ['write firewall-rules → deny (restricted)', { action: 'write', resource: 'firewall-rules' }, { verdict: 'deny', reason: 'restricted' }],
  ],
  'infra-management': [
    ['staging scale → auto', { action: 'scale.horizontal', params: { environment: 'staging', factor: 3 }, context: { ticket: 'OPS-1' } }, { verdict: 'auto_approve' }],
    ['production factor 2 → platform-engineer', { action: 'scale.horizontal', params: { environment: 'production', factor: 2 }, context: { ticket: 'OPS-1' } }, { verdict: 'require_approval', approvers: ['platform-engineer'] }],
    ['production factor 3 → platform-lead', { action: 'scale.horizontal', params: { environment: 'production', factor: 3 }, context: { ticket: 'OPS-1' } }, { verdict: 'require_approval', approvers: ['platform-lead'] }],
    ['credential.rotate → security-team', { action: 'credential.rotate', context: { ticket: 'OPS-1' } }, { verdict: 'require_approval', approvers: ['security-team'] }],
    ['Saturday production factor 2 → vp-engineering on pagerduty', { action: 'scale.horizontal', params: { environment: 'production', factor: 2 }, context: { ticket: 'OPS-1' } }, { verdict: 'require_approval', approvers: ['vp-engineering'], channel: 'pagerduty' }, SATURDAY],
    ['no ticket → deny', { action: 'scale.horizontal', params: { environment: 'staging', factor: 3 } }, { verdict: 'deny', reason: 'ticket' }],
    ['read deployment-logs → auto', { action: 'read', resource: 'deployment-logs' }, { verdict: 'auto_approve' }],
  ],
  'sales-ops': [
    ['opportunity.stage.change → sales-managers on web', { action: 'opportunity.stage.change' }, { verdict: 'require_approval', approvers: ['sales-managers'], channel: 'web', quorum: 1 }],
    ['email.send.first-contact → sales-rep', { action: 'email.send.first-contact', params: { template: 'intro' } }, { verdict: 'require_approval', approvers: ['sales-rep'] }],
    ['discount.offer → sales-directors', { action: 'discount.offer' }, { verdict: 'require_approval', approvers: ['sales-directors'] }],
    ['read salesforce:contacts → auto', { action: 'read', resource: 'salesforce:contacts' }, { verdict: 'auto_approve' }],
    ['write salesforce:opportunity.amount → deny (restricted, no approver)', { action: 'write', resource: 'salesforce:opportunity.amount' }, { verdict: 'deny', reason: 'restricted' }],
    ['email.send with a template → deny (review, but no reviewer named)', { action: 'email.send', params: { template: 'follow-up' } }, { verdict: 'deny', reason: 'review' }],
    ['email.send without a template → deny', { action: 'email.send', params: {} }, { verdict: 'deny', reason: 'template' }],
  ],
};

describe.each(Object.keys(TABLE))('blueprint %s', (name) => {
  const policy = load(name);
  it.each(TABLE[name]!)('%s', (_label, request, want, at) => {
    const d = decide(policy, { agent: 'test-agent', ...request }, at ?? TUESDAY);
    if (want.verdict !== undefined) expect(d.verdict).toBe(want.verdict);
    if (want.approvers !== undefined) expect(d.approvers).toEqual(want.approvers);
    if (want.channel !== undefined) expect(d.channel).toBe(want.channel);
    if (want.quorum !== undefined) expect(d.quorum).toBe(want.quorum);
    if (want.rule !== undefined) expect(d.rule.path).toBe(want.rule);
    if (want.reason !== undefined) expect(d.reason.toLowerCase()).toContain(want.reason);
    if (d.verdict !== 'require_approval') expect(d.approvers).toEqual([]);
    expect(d.explanation.length).toBeGreaterThan(0);
  });
});

describe('policies/tests/*.test.yaml', () => {
  it('all four test files pass through the runner', () => {
    const lines: string[] = [];
    const files = ['customer-support', 'sales-ops', 'security-ops', 'infra-management'].map((n) => `policies/tests/${n}.test.yaml`);
    const summary = runTestFiles(root, files, (t) => lines.push(t));
    expect(lines.filter((l) => l.startsWith('FAIL')), lines.join('\n')).toEqual([]);
    expect(summary.failed).toBe(0);
    expect(summary.passed).toBeGreaterThanOrEqual(35);
    expect(new Set(summary.results.map((r) => r.file)).size).toBe(4);
    expect(formatSummary(summary)).toBe(`${summary.passed} passed, 0 failed`);
  });
});
