import { describe, expect, it } from 'vitest';
import { channelNames } from '../../integrations/index.js';
import { decide, loadPolicy } from '../../triggers/index.js';
import { type ActionRequest } from '../../core/index.js';

const TUE = Date.parse('2026-11-24T10:00:00Z');
const SAT = Date.parse('2026-11-28T10:00:00Z');

const policy = loadPolicy(
  `blueprint: test-policy
security:
  approvalDefaults:
    approver: reviewers
    sla: 30m
  permissions:
    read: [tickets, reports]
    write: [tickets]
    restricted: [billing, secrets.keys]
    restrictedApproval:
      approver: admins
      channel: teams
    execute:
      - action: "deploy.*"
        condition: "environment == 'staging'"
        approval: auto
      - action: deploy.service
        condition: "environment == 'production' AND replicas <= 3"
        approval: admins
        quorum: 2
        sla: 10m
        remindEvery: 2m
        escalateTo: reviewers
        escalateAfter: 5m
    email:
      send: allowed-with-review
      template: required
  approvalWorkflows:
    - trigger: "refund.amount > 50"
      approver: reviewers
      channel: slack
    - trigger: "priority == 'p1'"
      approver: admins
  changeManagement:
    requireTicket: false
    changeWindow: "mon-fri/08:00-18:00/Europe/Berlin"
    emergencyOverride:
      approver: admins
      channel: pagerduty
`,
  { file: 'test-policy.yaml', channels: channelNames() },
);

/** Requests carry `priority` so the unscoped `priority == 'p1'` trigger is settled unless a case removes it. */
const req = (r: Partial<ActionRequest>): ActionRequest => ({ agent: 'bot', action: 'noop', ...r, params: { priority: 'p3', ...r.params } });

describe('decide()', () => {
  it.each([
    ['read granted', req({ action: 'read', resource: 'tickets' }), 'auto_approve', [], 'read of tickets is granted'],
    ['read of a child of a granted resource', req({ action: 'read', resource: 'tickets.42' }), 'auto_approve', [], 'read of tickets is granted'],
    ['write not granted', req({ action: 'write', resource: 'reports' }), 'deny', [], 'nothing in test-policy grants this action (least privilege)'],
    ['restricted with approver', req({ action: 'write', resource: 'billing' }), 'require_approval', ['admins'], 'billing is restricted; access needs approval'],
    ['parent of a restricted resource', req({ action: 'read', resource: 'secrets' }), 'require_approval', ['admins'], 'secrets.keys is restricted; access needs approval'],
    ['trigger scoped to its action', req({ action: 'refund', params: { amount: 75 } }), 'require_approval', ['reviewers'], '`refund.amount > 50` matched'],
    ['trigger for another action does not apply', req({ action: 'read', resource: 'tickets', params: { amount: 75 } }), 'auto_approve', [], 'read of tickets is granted'],
    ['missing field in a scoped trigger asks a person', req({ action: 'refund' }), 'require_approval', ['reviewers'], '`refund.amount > 50` could not be evaluated (missing: refund.amount); a person decides'],
    ['wrong type asks a person', req({ action: 'refund', params: { amount: '75' } }), 'require_approval', ['reviewers'], '`refund.amount > 50` could not be evaluated (a value had the wrong type); a person decides'],
    ['unscoped trigger with a missing field asks', { agent: 'bot', action: 'write', resource: 'tickets' }, 'require_approval', ['admins'], "`priority == 'p1'` could not be evaluated (missing: priority); a person decides"],
    ['glob execute auto', req({ action: 'deploy.web', params: { environment: 'staging', priority: 'p3' } }), 'auto_approve', [], "deploy.web runs on its own when `environment == 'staging'`"],
    ['execute approval with quorum', req({ action: 'deploy.service', params: { environment: 'production', replicas: 2, priority: 'p3' } }), 'require_approval', ['admins'], "deploy.service needs approval when `environment == 'production' AND replicas <= 3`"],
    ['execute entries exist, none holds', req({ action: 'deploy.service', params: { environment: 'production', replicas: 9, priority: 'p3' } }), 'deny', [], 'no execute condition for deploy.service holds'],
    ['unknown auto condition never auto-approves', req({ action: 'deploy.web', params: { priority: 'p3' } }), 'deny', [], "no execute condition for deploy.web holds; `environment == 'staging'` could not be evaluated (missing: environment)"],
    ['allowed-with-review asks the default reviewer', req({ action: 'email.send', params: { template: 'welcome', priority: 'p3' } }), 'require_approval', ['reviewers'], 'email.send is allowed with review'],
    ['template required', req({ action: 'email.send', params: { priority: 'p3' } }), 'deny', [], 'email: template is required; send params.template naming an approved template'],
    ['empty action', req({ action: '' }), 'deny', [], 'invalid request: action must be a name of letters, digits, ".", "_", ":" or "-"'],
    ['glob characters in an action', req({ action: 'deploy.*' }), 'deny', [], 'invalid request: action must be a name of letters, digits, ".", "_", ":" or "-"'],
    ['params must be an object', { agent: 'bot', action: 'refund', params: [1] as unknown as Record<string, unknown> }, 'deny', [], 'invalid request: params must be an object'],
    ['no agent', { action: 'read', resource: 'tickets' } as ActionRequest, 'deny', [], 'invalid request: agent must name the requesting agent'],
  ])('%s', (_name, request, verdict, approvers, reason) => {
    const d = decide(policy, request, TUE);
    expect({ verdict: d.verdict, approvers: d.approvers, reason: d.reason }).toEqual({ verdict, approvers, reason });
  });

  it('carries the route: channel, quorum, SLA, reminders and escalation', () => {
    const d = decide(policy, req({ action: 'deploy.service', params: { environment: 'production', replicas: 2, priority: 'p3' } }), TUE);
    expect(d).toMatchObject({ channel: 'web', quorum: 2, slaSeconds: 600, remindEverySeconds: 120, escalateTo: 'reviewers', escalateAfterSeconds: 300, rule: { path: 'security.permissions.execute[1]' } });
    expect(d.rule.line).toBe(17);
  });

  it('uses approvalDefaults where the rule is silent', () => {
    const d = decide(policy, req({ action: 'refund', params: { amount: 80 } }), TUE);
    expect(d).toMatchObject({ channel: 'slack', quorum: 1, slaSeconds: 1800 });
  });

  it.each([
    ['production outside the window', { environment: 'production' }, SAT, ['admins'], 'pagerduty'],
    ['environment not stated counts as production', {}, SAT, ['admins'], 'pagerduty'],
    ['staging outside the window keeps its outcome', { environment: 'staging' }, SAT, ['admins'], 'teams'],
    ['production inside the window keeps its outcome', { environment: 'production' }, TUE, ['admins'], 'teams'],
  ])('change window: %s', (_n, params, at, approvers, channel) => {
    const d = decide(policy, req({ action: 'write', resource: 'billing', params: { ...params, priority: 'p3' } }), at);
    expect({ approvers: d.approvers, channel: d.channel }).toEqual({ approvers, channel });
  });

  it('never lets a read trip the change window', () => {
    expect(decide(policy, req({ action: 'read', resource: 'tickets' }), SAT).verdict).toBe('auto_approve');
  });

  it('explains in order why each earlier step did not decide', () => {
    const d = decide(policy, req({ action: 'write', resource: 'reports', params: { priority: 'p3' } }), TUE);
    expect(d.explanation).toEqual([
      '1. request: well-formed',
      '2. requirements: none apply',
      '3. restricted: the resource is not restricted',
      '4. approval workflows: no trigger matched',
      '5. execute: no entry names this action',
      '6. read/write: write of this resource is not granted',
      '7. least privilege: nothing grants this action',
      '→ deny: nothing in test-policy grants this action (least privilege)',
    ]);
  });

  it('accepts a Date as now and fails closed on an invalid time', () => {
    expect(decide(policy, req({ action: 'read', resource: 'tickets' }), new Date(TUE)).verdict).toBe('auto_approve');
    expect(decide(policy, req({ action: 'read', resource: 'tickets' }), Number.NaN).reason).toBe('invalid request: the decision time is not a valid time');
  });

  it('resolves own properties only', () => {
    const d = decide(policy, { agent: 'bot', action: 'refund', params: JSON.parse('{"__proto__": {"amount": 99}}') }, TUE);
    expect(d.reason).toBe('`refund.amount > 50` could not be evaluated (missing: refund.amount); a person decides');
  });
});

describe('decide() on the hot path', () => {
  it('returns the same frozen decision for requests that decide alike', () => {
    const a = decide(policy, req({ action: 'read', resource: 'tickets' }), TUE);
    const b = decide(policy, req({ action: 'read', resource: 'tickets.7' }), SAT);
    expect(b).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.explanation)).toBe(true);
  });

  it('keeps explanation variants apart', () => {
    const read = decide(policy, req({ action: 'write', resource: 'reports' }), TUE);
    const noResource = decide(policy, req({ action: 'write' }), TUE);
    expect(read.explanation[2]).toBe('3. restricted: the resource is not restricted');
    expect(noResource.explanation[2]).toBe('3. restricted: no resource named');
  });
});
