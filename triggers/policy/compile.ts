import { PolicyErrorCode } from '../errors.js';
import { compileActionPattern } from '../expression/index.js';
import type { CompiledChangeManagement, CompiledExecute, CompiledPermissionSet, CompiledPolicy, CompiledTrigger, RateLimit, VerbMode } from './compiled.js';
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
    if (condition) triggers.push({ condition, route, scopes: actionScopes(condition.paths) });
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
      execute.push({ matchesAction: compileActionPattern(name), condition, route, rule: ctx.rule(path) });
    }
  });

  const permissionSets: CompiledPermissionSet[] = [];
  if (['read', 'write', 'restricted', 'restrictedApproval'].some((k) => k in permissions)) {
    permissionSets.push(compileSet(ctx, null, permissions, permPath, base));
  }
  for (const [key, value] of Object.entries(permissions)) {
    if (!FLAT_KEYS.has(key)) permissionSets.push(compileSet(ctx, key, value as PermissionSystem, [...permPath, key], base));
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
  };
}

function compileSet(ctx: CompileContext, system: string | null, set: PermissionSystem, path: YamlPath, base: typeof BUILTIN_DEFAULTS): CompiledPermissionSet {
  const verbs: VerbMode[] = [];
  if (set.send !== undefined && system !== null) verbs.push({ action: `${system}.send`, mode: set.send, rule: ctx.rule([...path, 'send']) });
  return {
    system,
    read: set.read ?? [],
    write: set.write ?? [],
    restricted: set.restricted ?? [],
    restrictedRoute: set.restrictedApproval ? compileRoute(ctx, set.restrictedApproval, [...path, 'restrictedApproval'], base, set.restrictedApproval.approver) : null,
    verbs,
    templateRequired: set.template === 'required',
    rule: ctx.rule(path),
  };
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
  const override = cm.emergencyOverride;
  return {
    requireTicket: cm.requireTicket ?? false,
    window: cm.changeWindow === undefined ? null : ctx.window(cm.changeWindow, [...path, 'changeWindow']),
    override: override ? compileRoute(ctx, override, [...path, 'emergencyOverride'], { ...base, severity: 'critical' }, override.approver) : null,
    rule: ctx.rule(path),
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
