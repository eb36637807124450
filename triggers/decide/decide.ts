import { decisionFor, INSIDE_WINDOW, linesBefore, variantOf } from './explain.js';
import { deny, NO_RULE, type Outcome } from './outcome.js';
import { approvalWorkflows, execute, requirements, resources, restricted } from './steps.js';
import type { CompiledPolicy } from '../policy/compiled.js';
import type { ActionRequest, Decision } from '../../core/index.js';

const ACTION = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,199}$/;
const PRODUCTION = new Set(['production', 'prod']);

/**
 * Decides what happens to one request under one compiled policy at time `now` (epoch ms or Date).
 * Pure and synchronous; never throws: a malformed request or an evaluation error is a deny.
 * Order, first hit wins: invalid → requirements → restricted → approvalWorkflows → execute →
 * read/write → least privilege; then a production change outside the change window turns any
 * non-deny outcome into the emergency override. The returned decision may be shared and is frozen:
 * on the common path nothing is allocated.
 */
export function decide(policy: CompiledPolicy, request: ActionRequest, now: number | Date): Decision {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const problem = invalid(request, nowMs);
  if (problem !== null) return decisionFor(policy, deny(1, NO_RULE, `invalid request: ${problem}`), 0);
  try {
    const isRead = request.action === 'read';
    const variant = variantOf(policy, request, isRead);
    const outcome =
      requirements(policy, request, isRead) ??
      restricted(policy, request) ??
      approvalWorkflows(policy, request) ??
      execute(policy, request) ??
      resources(policy, request) ??
      policy.leastPrivilege;
    if (outcome.verdict === 'deny' || isRead) return decisionFor(policy, outcome, variant);
    return changeWindow(policy, request, nowMs, outcome, variant);
  } catch (error) {
    return decisionFor(policy, deny(1, NO_RULE, `evaluation error: ${error instanceof Error ? error.message : String(error)}`), 0);
  }
}

/** The overlay: outside the window, a change whose environment is production or not stated needs the override. */
function changeWindow(p: CompiledPolicy, r: ActionRequest, nowMs: number, outcome: Outcome, variant: number): Decision {
  const cm = p.changeManagement;
  if (cm === null || cm.window === null) return decisionFor(p, outcome, variant);
  const env = r.params?.environment ?? r.context?.environment;
  if (typeof env === 'string' && !PRODUCTION.has(env)) return decisionFor(p, outcome, variant);
  if (cm.window.contains(nowMs)) return decisionFor(p, outcome, variant | INSIDE_WINDOW);
  const prefix = linesBefore(p, outcome.step, variant);
  prefix.push(`${outcome.decided.slice(2)}, but the change falls outside the window ${cm.window.source}`);
  return decisionFor(p, cm.outsideWindow, variant, prefix);
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
