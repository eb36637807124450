/**
 * From the policy's approver groups to the approver ids who may decide. Groups come from
 * countersign.yaml and stay global names; only the members who may decide in the request's tenant
 * count, so one `support-leads` group can serve two tenants with different people.
 */
import type { Decision, Groups } from '../../core/index.js';
import { denyInstead } from './refusal.js';

/** Whether an approver may decide requests of the tenant at hand. */
export type InTenant = (approverId: string) => boolean;

/** Resolves group names to approver ids; a problem instead when a group has nobody who may decide. */
function resolve(groups: Groups, names: readonly string[], inTenant: InTenant, tenant: string): { ids: string[] } | { problem: string } {
  const ids = new Set<string>();
  for (const group of names) {
    const members = groups[group];
    if (!members) return { problem: `approver group "${group}" is not defined in the service config, so nobody can approve: denied (fail closed)` };
    if (members.length === 0) return { problem: `approver group "${group}" has no members, so nobody can approve: denied (fail closed)` };
    const here = members.filter(inTenant);
    if (here.length === 0) return { problem: `approver group "${group}" has no member who decides for tenant ${tenant}, so nobody can approve: denied (fail closed)` };
    for (const m of here) ids.add(m);
  }
  return { ids: [...ids] };
}

/**
 * The approvers of a `require_approval` decision and of its escalation, among those `inTenant`
 * accepts. A group that cannot approve turns the decision into a refusal (fail closed); other
 * verdicts pass through unchanged.
 */
export function resolveApprovers(
  decision: Decision,
  groups: Groups,
  inTenant: InTenant,
  tenant: string,
): { decision: Decision; eligible: string[]; escalation: string[] } {
  let eligible: string[] = [];
  let escalation: string[] = [];
  if (decision.verdict === 'require_approval') {
    const resolved = resolve(groups, decision.approvers, inTenant, tenant);
    if ('problem' in resolved) decision = denyInstead(decision, resolved.problem);
    else eligible = resolved.ids;
  }
  if (decision.verdict === 'require_approval' && decision.escalateTo) {
    const resolved = resolve(groups, [decision.escalateTo], inTenant, tenant);
    if ('problem' in resolved) decision = denyInstead(decision, `escalation: ${resolved.problem}`);
    else escalation = resolved.ids.filter((x) => !eligible.includes(x));
  }
  return { decision, eligible, escalation };
}
