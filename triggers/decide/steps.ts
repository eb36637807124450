import type { CompiledPolicy } from '../policy/compiled.js';
import type { ActionRequest } from '../types.js';
import { ask, auto, deny, type Outcome } from './outcome.js';
import { coversAction, grantedBy, nameInSet, restrictedBy, within } from './resources.js';
import { missingNote } from './why.js';

/**
 * Steps 2–7 of the decision order in DESIGN.md. Each returns the outcome that decides, or pushes
 * one line saying why it did not decide and returns null. First hit wins.
 */
export function requirements(p: CompiledPolicy, r: ActionRequest, isRead: boolean, why: string[]): Outcome | null {
  const cm = p.changeManagement;
  if (cm !== null && cm.requireTicket && !isRead && !hasText(r.context, 'ticket')) {
    return deny(cm.rule, 'changeManagement.requireTicket: a change must reference a ticket in context.ticket');
  }
  for (const set of p.permissionSets) {
    if (!set.templateRequired) continue;
    for (const verb of set.verbs) {
      if (coversAction(verb.action, r.action) && !hasText(r.params, 'template')) {
        return deny(set.rule, `${set.system}: template is required; send params.template naming an approved template`);
      }
    }
  }
  why.push(cm?.requireTicket && !isRead ? '2. requirements: the change references a ticket' : '2. requirements: none apply');
  return null;
}

export function restricted(p: CompiledPolicy, r: ActionRequest, why: string[]): Outcome | null {
  const resource = r.resource;
  if (resource !== undefined) {
    for (const set of p.permissionSets) {
      const name = nameInSet(set, resource);
      const entry = name === null ? null : restrictedBy(set.restricted, name);
      if (entry === null) continue;
      if (set.restrictedRoute !== null) return ask(set.restrictedRoute, `${resource} is restricted (${entry}); access needs approval`);
      return deny(set.rule, `${resource} is restricted (${entry}) and the policy names no approver for restricted access`);
    }
  }
  why.push(resource === undefined ? '3. restricted: no resource named' : '3. restricted: the resource is not restricted');
  return null;
}

export function approvalWorkflows(p: CompiledPolicy, r: ActionRequest, why: string[]): Outcome | null {
  for (const t of p.triggers) {
    if (t.scopes.length > 0 && !inScope(t.scopes, r)) continue;
    const truth = t.condition.test(r);
    if (truth === true) return ask(t.route, `\`${t.condition.source}\` matched`);
    if (truth === undefined) return ask(t.route, `\`${t.condition.source}\` could not be evaluated${missingNote(t.condition, r)}; a person decides`);
  }
  why.push(p.triggers.length === 0 ? '4. approval workflows: none defined' : '4. approval workflows: no trigger matched');
  return null;
}

export function execute(p: CompiledPolicy, r: ActionRequest, why: string[]): Outcome | null {
  let named = false;
  let unknownAuto: (typeof p.execute)[number] | null = null;
  for (const e of p.execute) {
    if (!e.matchesAction(r.action)) continue;
    named = true;
    const truth = e.condition === null ? true : e.condition.test(r);
    if (truth === true) {
      const cond = e.condition === null ? '' : ` when \`${e.condition.source}\``;
      return e.route === null ? auto(e.rule, `${r.action} runs on its own${cond}`) : ask(e.route, `${r.action} needs approval${cond}`);
    }
    if (truth === undefined) {
      if (e.route !== null) return ask(e.route, `\`${e.condition!.source}\` could not be evaluated${missingNote(e.condition!, r)}; a person decides`);
      unknownAuto ??= e;
    }
  }
  if (named) {
    const note = unknownAuto === null ? '' : `; \`${unknownAuto.condition!.source}\` could not be evaluated${missingNote(unknownAuto.condition!, r)}`;
    return deny(unknownAuto?.rule ?? { path: 'security.permissions.execute', line: p.permissionsLine }, `no execute condition for ${r.action} holds${note}`);
  }
  why.push('5. execute: no entry names this action');
  return null;
}

export function resources(p: CompiledPolicy, r: ActionRequest, why: string[]): Outcome | null {
  const verb = r.action === 'read' ? 'read' : r.action === 'write' ? 'write' : null;
  for (const set of p.permissionSets) {
    if (verb !== null && r.resource !== undefined) {
      const name = nameInSet(set, r.resource);
      const grant = name === null ? null : grantedBy(verb === 'read' ? set.read : set.write, name);
      if (grant !== null) return auto(set.rule, `${verb} of ${r.resource} is granted (${grant})`);
    }
    for (const v of set.verbs) {
      if (!coversAction(v.action, r.action)) continue;
      if (v.mode === 'allowed') return auto(v.rule, `${v.action} is allowed`);
      if (v.mode === 'denied') return deny(v.rule, `${v.action} is denied`);
      if (p.defaults.approvers.length > 0) return ask(p.defaults, `${v.action} is allowed with review`);
      return deny(v.rule, `${v.action} is allowed only with review, and the policy names no reviewer (set approvalDefaults.approver)`);
    }
  }
  why.push(verb === null ? '6. read/write: the action is not a read or write' : `6. read/write: ${verb} of this resource is not granted`);
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
