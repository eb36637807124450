import { NO_RULE, ask, deny, toDecision, type Outcome } from './decide/outcome.js';
import { approvalWorkflows, execute, requirements, resources, restricted } from './decide/steps.js';
import type { CompiledPolicy } from './policy/compiled.js';
import type { ActionRequest, Decision } from './types.js';

const ACTION = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,199}$/;
const PRODUCTION = new Set(['production', 'prod']);

/**
 * Decides what happens to one request under one compiled policy at time `now` (epoch ms or Date).
 * Pure and synchronous; never throws: a malformed request or an evaluation error is a deny.
 * Order, first hit wins: invalid → requirements → restricted → approvalWorkflows → execute →
 * read/write → least privilege; then a production change outside the change window turns any
 * non-deny outcome into the emergency override.
 */
export function decide(policy: CompiledPolicy, request: ActionRequest, now: number | Date): Decision {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const why: string[] = [];
  const problem = invalid(request, nowMs);
  if (problem !== null) {
    const outcome = deny(NO_RULE, `invalid request: ${problem}`);
    why.push(outcome.decided);
    return toDecision(outcome, why);
  }
  let outcome: Outcome;
  try {
    outcome = steps(policy, request, nowMs, why);
  } catch (error) {
    outcome = deny(NO_RULE, `evaluation error: ${error instanceof Error ? error.message : String(error)}`);
  }
  why.push(outcome.decided);
  return toDecision(outcome, why);
}

function steps(p: CompiledPolicy, r: ActionRequest, nowMs: number, why: string[]): Outcome {
  why.push('1. request: well-formed');
  const isRead = r.action === 'read';
  const outcome =
    requirements(p, r, isRead, why) ??
    restricted(p, r, why) ??
    approvalWorkflows(p, r, why) ??
    execute(p, r, why) ??
    resources(p, r, why) ??
    deny({ path: 'security.permissions', line: p.permissionsLine }, `nothing in ${p.blueprint} grants ${r.action} (least privilege)`);
  if (why.length === 6) why.push('7. least privilege: nothing grants this action');
  return outcome.verdict === 'deny' || isRead ? outcome : changeWindow(p, r, nowMs, outcome, why);
}

/** The overlay: outside the window, a change whose environment is production or not stated needs the override. */
function changeWindow(p: CompiledPolicy, r: ActionRequest, nowMs: number, outcome: Outcome, why: string[]): Outcome {
  const cm = p.changeManagement;
  if (cm === null || cm.window === null) return outcome;
  const env = r.params?.environment ?? r.context?.environment;
  if (typeof env === 'string' && !PRODUCTION.has(env)) return outcome;
  if (cm.window.contains(nowMs)) {
    why.push(`change window: inside ${cm.window.source}`);
    return outcome;
  }
  why.push(`${outcome.decided.slice(2)}, but the change falls outside the window ${cm.window.source}`);
  const reason = `production change outside the change window ${cm.window.source}`;
  if (cm.override === null) return deny(cm.rule, `${reason} and no emergencyOverride is defined`);
  return ask(cm.override, `${reason}; emergency override required`);
}

function invalid(r: ActionRequest, nowMs: number): string | null {
  if (r === null || typeof r !== 'object') return 'the request must be an object';
  if (typeof r.action !== 'string' || !ACTION.test(r.action)) return 'action must be a name of letters, digits, ".", "_", ":" or "-"';
  if (typeof r.agent !== 'string' || r.agent.length === 0) return 'agent must name the requesting agent';
  if (r.resource !== undefined && (typeof r.resource !== 'string' || r.resource.length === 0)) return 'resource must be a non-empty string';
  if (!isBag(r.params)) return 'params must be an object';
  if (!isBag(r.context)) return 'context must be an object';
  if (!Number.isFinite(nowMs)) return 'the decision time is not a valid time';
  return null;
}

function isBag(value: unknown): boolean {
  return value === undefined || (value !== null && typeof value === 'object' && !Array.isArray(value));
}
