import { heldOutcome } from '../policy/compile.js';
import type { CompiledPolicy } from '../policy/compiled.js';
import type { ActionRequest } from '../../core/index.js';
import { ask, deny, type Outcome } from './outcome.js';
import { coversAction, grantedBy, nameInSet, restrictedBy, within } from './resources.js';
import { missingNote } from './why.js';

/**
 * Steps 2–6 of the decision order (see `decide()` in decide.ts). Each returns the outcome that
 * decides, or null when it does not decide. First hit wins. Outcomes are the ones compiled with
 * the policy, except on the rare paths that name a missing field.
 */
export function requirements(p: CompiledPolicy, r: ActionRequest, isRead: boolean): Outcome | null {
  const cm = p.changeManagement;
  if (cm !== null && cm.requireTicket && !isRead && !hasText(r.context, 'ticket')) return cm.ticketDeny;
  for (const set of p.permissionSets) {
    if (set.templateDeny === null) continue;
    for (const verb of set.verbs) {
      if (coversAction(verb.action, r.action) && !hasText(r.params, 'template')) return set.templateDeny;
    }
  }
  return null;
}

export function restricted(p: CompiledPolicy, r: ActionRequest): Outcome | null {
  if (r.resource === undefined) return null;
  for (const set of p.permissionSets) {
    const name = nameInSet(set, r.resource);
    const i = name === null ? -1 : restrictedBy(set.restricted, name);
    if (i >= 0) return set.restrictedOutcomes[i]!;
  }
  return null;
}

export function approvalWorkflows(p: CompiledPolicy, r: ActionRequest): Outcome | null {
  for (const t of p.triggers) {
    if (t.scopes.length > 0 && !inScope(t.scopes, r)) continue;
    const truth = t.condition.test(r);
    if (truth === true) return t.matched;
    if (truth === undefined) return ask(4, t.route, `\`${t.condition.source}\` could not be evaluated${missingNote(t.condition, r)}; a person decides`);
  }
  return null;
}

export function execute(p: CompiledPolicy, r: ActionRequest): Outcome | null {
  let named = false;
  let unknownAuto: (typeof p.execute)[number] | null = null;
  for (const e of p.execute) {
    if (!e.matchesAction(r.action)) continue;
    named = true;
    const truth = e.condition === null ? true : e.condition.test(r);
    if (truth === true) return e.held ?? heldOutcome(r.action, e.condition, e.route, e.rule);
    if (truth === undefined) {
      if (e.route !== null) return ask(5, e.route, `\`${e.condition!.source}\` could not be evaluated${missingNote(e.condition!, r)}; a person decides`);
      unknownAuto ??= e;
    }
  }
  if (!named) return null;
  const note = unknownAuto === null ? '' : `; \`${unknownAuto.condition!.source}\` could not be evaluated${missingNote(unknownAuto.condition!, r)}`;
  return deny(5, unknownAuto?.rule ?? { path: 'security.permissions.execute', line: p.permissionsLine }, `no execute condition for ${r.action} holds${note}`);
}

export function resources(p: CompiledPolicy, r: ActionRequest): Outcome | null {
  const verb = r.action === 'read' ? 1 : r.action === 'write' ? 2 : 0;
  for (const set of p.permissionSets) {
    if (verb !== 0 && r.resource !== undefined) {
      const name = nameInSet(set, r.resource);
      const i = name === null ? -1 : grantedBy(verb === 1 ? set.read : set.write, name);
      if (i >= 0) return (verb === 1 ? set.readGrants : set.writeGrants)[i]!;
    }
    for (const v of set.verbs) if (coversAction(v.action, r.action)) return v.outcome;
  }
  return null;
}

/** The request is about one of `scopes`: its action's first segment, or a param of that name. */
function inScope(scopes: readonly string[], r: ActionRequest): boolean {
  for (const scope of scopes) {
    if (within(r.action, scope) || (r.params !== undefined && Object.hasOwn(r.params, scope))) return true;
  }
  return false;
}

function hasText(bag: Record<string, unknown> | undefined, key: string): boolean {
  if (bag === undefined || bag === null || !Object.hasOwn(bag, key)) return false;
  const value = bag[key];
  return typeof value === 'string' ? value.trim().length > 0 : typeof value === 'number';
}
