import { ask, auto, deny } from '../decide/outcome.js';
import { PolicyErrorCode } from '../errors.js';
import { compileActionPattern } from '../expression/index.js';
import type { CompiledChangeManagement, CompiledExecute, CompiledPermissionSet, CompiledPolicy, CompiledRoute, CompiledTrigger, RateLimit, VerbMode } from './compiled.js';
import { BUILTIN_DEFAULTS, compileRoute } from './compile-route.js';
import type { CompileContext } from './context.js';
import type { PermissionSystem, PolicyDocument } from './schema.js';
import type { YamlPath } from './yaml-source.js';

const SCOPE_FREE_ROOTS = new Set(['action', 'resource', 'agent', 'tenant', 'context', 'params']);
const FLAT_KEYS = new Set(['read', 'write', 'restricted', 'restrictedApproval', 'execute']);
const UNREDACTED_TYPES = new Set(['public', 'internal']);

/** Compiles a schema-valid policy document; leaf errors land in `ctx.errors`. */
export function compilePolicy(doc: PolicyDocument, ctx: CompileContext, meta: { file: string; hash: string }): CompiledPolicy {
  const sec = doc.security;
  const secPath: YamlPath = ['security'];
  const ad = sec.approvalDefaults ?? {};
  const defaults = compileRoute(ctx, ad, [...secPath, 'approvalDefaults'], BUILTIN_DEFAULTS, ad.approver ?? null);
  const { approvers: _none, rule: _rule, ...base } = defaults;

  const triggers: CompiledTrigger[] = [];
  (sec.approvalWorkflows ?? []).forEach((w, i) => {
    const path = [...secPath, 'approvalWorkflows', i];
    const condition = ctx.trigger(w.trigger, [...path, 'trigger']);
    const route = compileRoute(ctx, w, path, base, w.approver);
    if (condition) triggers.push({ condition, route, scopes: actionScopes(condition.paths), matched: ask(4, route, `\`${condition.source}\` matched`, true) });
  });

  const permissions = sec.permissions ?? {};
  const permPath: YamlPath = [...secPath, 'permissions'];
  const execute: CompiledExecute[] = [];
  (permissions.execute ?? []).forEach((entry, i) => {
    const path = [...permPath, 'execute', i];
    const name = entry.playbook ?? entry.action;
    if ((entry.playbook === undefined) === (entry.action === undefined)) {
      ctx.fail(PolicyErrorCode.InvalidValue, 'an execute entry names exactly one of `playbook` or `action`',
        entry.playbook ? 'remove `action:` or `playbook:`' : 'add `action: <name>` or `playbook: <name>`', path);
    }
    const condition = entry.condition === undefined ? null : ctx.condition(entry.condition, [...path, 'condition']);
    const route = entry.approval === 'auto' ? null : compileRoute(ctx, entry, path, base, entry.approval);
    if (name !== undefined && (entry.condition === undefined || condition)) {
      const rule = ctx.rule(path);
      execute.push({ matchesAction: compileActionPattern(name), condition, route, rule, name, held: name.includes('*') ? null : heldOutcome(name, condition, route, rule) });
    }
  });

  const permissionSets: CompiledPermissionSet[] = [];
  const reviewer = defaults.approvers.length > 0 ? defaults : null;
  if (['read', 'write', 'restricted', 'restrictedApproval'].some((k) => k in permissions)) {
    permissionSets.push(compileSet(ctx, null, permissions, permPath, base, reviewer));
  }
  for (const [key, value] of Object.entries(permissions)) {
    if (!FLAT_KEYS.has(key)) permissionSets.push(compileSet(ctx, key, value as PermissionSystem, [...permPath, key], base, reviewer));
  }

  return {
    blueprint: doc.blueprint,
    file: meta.file,
    hash: meta.hash,
    groups: [...ctx.groupsUsed],
    piiFields: (sec.dataClassification ?? []).filter((d) => !UNREDACTED_TYPES.has(d.type) || d.action === 'redact-from-logs').map((d) => d.field),
    rateLimit: compileRateLimit(ctx, sec.rateLimit, [...secPath, 'rateLimit']),
    source: doc,
    triggers,
    execute,
    permissionSets,
    changeManagement: compileChangeManagement(ctx, sec.changeManagement, [...secPath, 'changeManagement'], base),
    defaults,
    permissionsLine: ctx.rule(sec.permissions ? permPath : secPath).line,
    leastPrivilege: deny(8, { path: 'security.permissions', line: ctx.rule(sec.permissions ? permPath : secPath).line }, `nothing in ${doc.blueprint} grants this action (least privilege)`, true),
  };
}

/** The outcome of an execute entry whose condition holds; `action` names the request's action. */
export function heldOutcome(action: string, condition: { source: string } | null, route: CompiledExecute['route'], rule: CompiledExecute['rule']): ReturnType<typeof auto> {
  const when = condition === null ? '' : ` when \`${condition.source}\``;
  return route === null ? auto(5, rule, `${action} runs on its own${when}`, true) : ask(5, route, `${action} needs approval${when}`, true);
}

function compileSet(ctx: CompileContext, system: string | null, set: PermissionSystem, path: YamlPath, base: typeof BUILTIN_DEFAULTS, reviewer: CompiledRoute | null): CompiledPermissionSet {
  const rule = ctx.rule(path);
  const verbs: VerbMode[] = [];
  if (set.send !== undefined && system !== null) {
    verbs.push(verbMode(`${system}.send`, set.send, ctx.rule([...path, 'send']), reviewer));
  }
  const prefix = system === null ? '' : `${system}:`;
  const restrictedRoute = set.restrictedApproval ? compileRoute(ctx, set.restrictedApproval, [...path, 'restrictedApproval'], base, set.restrictedApproval.approver) : null;
  const read = set.read ?? [];
  const write = set.write ?? [];
  const restricted = set.restricted ?? [];
  return {
    system,
    read,
    write,
    restricted,
    restrictedRoute,
    verbs,
    templateRequired: set.template === 'required',
    rule,
    readGrants: read.map((r) => auto(6, rule, `read of ${prefix}${r} is granted`, true)),
    writeGrants: write.map((w) => auto(6, rule, `write of ${prefix}${w} is granted`, true)),
    restrictedOutcomes: restricted.map((r) =>
      restrictedRoute !== null
        ? ask(3, restrictedRoute, `${prefix}${r} is restricted; access needs approval`, true)
        : deny(3, rule, `${prefix}${r} is restricted and the policy names no approver for restricted access`, true)),
    templateDeny: set.template === 'required' ? deny(2, rule, `${system}: template is required; send params.template naming an approved template`, true) : null,
  };
}

function verbMode(action: string, mode: VerbMode['mode'], rule: VerbMode['rule'], reviewer: CompiledRoute | null): VerbMode {
  const outcome =
    mode === 'allowed' ? auto(6, rule, `${action} is allowed`, true)
    : mode === 'denied' ? deny(6, rule, `${action} is denied`, true)
    : reviewer !== null ? ask(6, reviewer, `${action} is allowed with review`, true)
    : deny(6, rule, `${action} is allowed only with review, and the policy names no reviewer (set approvalDefaults.approver)`, true);
  return { action, mode, rule, outcome };
}

function compileRateLimit(ctx: CompileContext, rl: PolicyDocument['security']['rateLimit'], path: YamlPath): RateLimit | null {
  if (!rl) return null;
  return {
    maxActionsPerMinute: rl.maxActionsPerMinute ?? null,
    maxRemediationsPerHour: rl.maxRemediationsPerHour ?? null,
    cooldownAfterRemediationSeconds: ctx.duration(rl.cooldownAfterRemediation, [...path, 'cooldownAfterRemediation']),
    remediations: rl.remediations ?? [],
  };
}

function compileChangeManagement(ctx: CompileContext, cm: PolicyDocument['security']['changeManagement'], path: YamlPath, base: typeof BUILTIN_DEFAULTS): CompiledChangeManagement | null {
  if (!cm || cm.enabled === false) return null;
  const spec = cm.emergencyOverride;
  const rule = ctx.rule(path);
  const window = cm.changeWindow === undefined ? null : ctx.window(cm.changeWindow, [...path, 'changeWindow']);
  const override = spec ? compileRoute(ctx, spec, [...path, 'emergencyOverride'], { ...base, severity: 'critical' }, spec.approver) : null;
  const outside = `production change outside the change window ${window?.source ?? ''}`;
  return {
    requireTicket: cm.requireTicket ?? false,
    window,
    override,
    rule,
    ticketDeny: deny(2, rule, 'changeManagement.requireTicket: a change must reference a ticket in context.ticket', true),
    outsideWindow: override ? ask(9, override, `${outside}; emergency override required`) : deny(9, rule, `${outside} and no emergencyOverride is defined`),
  };
}

/** `refund` for `refund.amount`: multi-segment paths whose root names an action, not the request. */
function actionScopes(paths: readonly string[]): string[] {
  const roots = new Set<string>();
  for (const path of paths) {
    const dot = path.indexOf('.');
    if (dot > 0 && !SCOPE_FREE_ROOTS.has(path.slice(0, dot))) roots.add(path.slice(0, dot));
  }
  return [...roots];
}
