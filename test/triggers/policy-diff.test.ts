/** policyDiff: value-by-value changes by YAML path (`!` marks a widening, a space the rest), and which of them widen what runs without a person. */
import { describe, expect, it } from 'vitest';
import { formatPolicyDiff, policyDiff } from '../../triggers/index.js';

const base = {
  blueprint: 'b',
  security: {
    permissions: { read: ['tickets'], restricted: ['billing'], execute: [{ action: 'block-ip', approval: 'soc-lead' }] },
    approvalWorkflows: [{ trigger: 'refund.amount > 50', approver: 'leads' }],
  },
};
const edit = (fn: (d: any) => void) => {
  const d = structuredClone(base) as any;
  fn(d);
  return d;
};

describe('policyDiff', () => {
  it.each([
    { case: 'no change', after: () => base, lines: [], widening: [] },
    { case: 'a rule becomes auto', after: () => edit((d) => (d.security.permissions.execute[0].approval = 'auto')), lines: ['!~ security.permissions.execute[0].approval: soc-lead → auto'], widening: ['security.permissions.execute[0].approval'] },
    { case: 'a restricted resource is no longer', after: () => edit((d) => (d.security.permissions.restricted = [])), lines: [' + security.permissions.restricted: []', '!- security.permissions.restricted[0]: billing'], widening: ['security.permissions.restricted[0]'] },
    { case: 'a read grant is added', after: () => edit((d) => d.security.permissions.read.push('billing')), lines: ['!+ security.permissions.read[1]: billing'], widening: ['security.permissions.read[1]'] },
    { case: 'a trigger is removed', after: () => edit((d) => (d.security.approvalWorkflows = [])), lines: [' + security.approvalWorkflows: []', ' - security.approvalWorkflows[0].approver: leads', '!- security.approvalWorkflows[0].trigger: refund.amount > 50'], widening: ['security.approvalWorkflows[0].trigger'] },
    { case: 'a narrowing: a new trigger', after: () => edit((d) => d.security.approvalWorkflows.push({ trigger: 'x', approver: 'leads' })), lines: [' + security.approvalWorkflows[1].approver: leads', ' + security.approvalWorkflows[1].trigger: x'], widening: [] },
  ])('$case', ({ after, lines, widening }) => {
    const diff = policyDiff(base, after());
    expect(formatPolicyDiff(diff)).toEqual(lines);
    expect(diff.widening.map((w) => w.path)).toEqual(widening);
  });
});
