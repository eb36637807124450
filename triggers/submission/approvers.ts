/** From the policy's approver groups to the approver ids who may decide (groups come from countersign.yaml). */
import type { Decision, Groups } from '../../core/index.js';
import { denyInstead } from './refusal.js';

/** Resolves group names to approver ids; a problem instead when a group is unknown or empty. */
function resolve(groups: Groups, names: readonly string[]): { ids: string[] } | { problem: string } {
  const ids = new Set<string>();
  for (const group of names) {
    const members = groups[group];
    if (!members) return { problem: `approver group "${group}" is not defined in the service config, so nobody can approve: denied (fail closed)` };
    if (members.length === 0) return { problem: `approver group "${group}" has no members, so nobody can approve: denied (fail closed)` };
    for (const m of members) ids.add(m);
  }
  return { ids: [...ids] };
}

/**
 * The approvers of a `require_approval` decision and of its escalation. A group that cannot
 * approve turns the decision into a refusal (fail closed); other verdicts pass through unchanged.
 */
export function resolveApprovers(
  decision: Decision,
  groups: Groups,
): { decision: Decision; eligible: string[]; escalation: string[] } {
  let eligible: string[] = [];
  let escalation: string[] = [];
  if (decision.verdict === 'require_approval') {
    const resolved = resolve(groups, decision.approvers);
    if ('problem' in resolved) decision = denyInstead(decision, resolved.problem);
    else eligible = resolved.ids;
  }
  if (decision.verdict === 'require_approval' && decision.escalateTo) {
    const resolved = resolve(groups, [decision.escalateTo]);
    if ('problem' in resolved) decision = denyInstead(decision, `escalation: ${resolved.problem}`);
    else escalation = resolved.ids.filter((x) => !eligible.includes(x));
  }
  return { decision, eligible, escalation };
}
