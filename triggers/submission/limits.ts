/**
 * The rules of `security.rateLimit` on the submit path (held by one limiter workflow per tenant,
 * blueprint and agent; the I/O of taking a permit is the API's). Pure.
 *
 * Scope: per tenant, per policy (blueprint) and per agent id. Two agents, or one agent under two
 * blueprints, never share a window.
 *
 * What counts:
 * - `maxActionsPerMinute`: every submission the policy does not deny (auto-approved or waiting for
 *   a person), at submission time. Denied submissions and blocked ones consume nothing.
 * - Remediations (`maxRemediationsPerHour`, `cooldownAfterRemediation`): an action that matches one
 *   of `rateLimit.remediations` (glob patterns) when the policy lists them, otherwise any action
 *   named by a `permissions.execute` entry (action/playbook). A remediation counts, and starts the
 *   cooldown, when it is submitted and not denied by the policy — also while it still waits for a
 *   person, and it is not given back if the person then denies it (the safe reading: a flood of
 *   pending remediations cannot queue up behind one approver click).
 * - The cooldown holds remediations only; ordinary actions continue during it.
 *
 * While a limit holds, the submission's decision is replaced by a refusal with the reason, and the
 * approval workflow is started with `block: { reason, retryAfter }`: its status is `blocked`, the
 * sandbox's callback is told `block`, and the audit log records it. Retry with a new
 * idempotencyKey after `retryAfter` seconds (the same key answers the same blocked action again).
 */
import type { ActionRequest, Decision, Grant, LimiterKey, Limits, PermitKind, PermitRequest } from '../../core/index.js';
import { compileActionPattern } from '../expression/action-pattern.js';
import type { CompiledPolicy } from '../policy/index.js';
import { denyInstead } from './refusal.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The policy's limits in ms (`timeScale` multiplies every window, for tests), or null when it has none. */
export function limitsOf(policy: CompiledPolicy, timeScale = 1): Limits | null {
  const rl = policy.rateLimit;
  if (!rl) return null;
  if (rl.maxActionsPerMinute === null && rl.maxRemediationsPerHour === null && !rl.cooldownAfterRemediationSeconds) return null;
  return {
    maxActions: rl.maxActionsPerMinute,
    actionWindowMs: MINUTE_MS * timeScale,
    maxRemediations: rl.maxRemediationsPerHour,
    remediationWindowMs: HOUR_MS * timeScale,
    cooldownMs: rl.cooldownAfterRemediationSeconds ? rl.cooldownAfterRemediationSeconds * 1000 * timeScale : null,
  };
}

const patternCache = new WeakMap<CompiledPolicy, ((action: string) => boolean)[]>();

/** True when `action` is a remediation under `policy` (see the module comment). */
export function isRemediation(policy: CompiledPolicy, action: string): boolean {
  const patterns = policy.rateLimit?.remediations ?? [];
  if (patterns.length > 0) {
    let compiled = patternCache.get(policy);
    if (!compiled) {
      compiled = patterns.map((p) => compileActionPattern(p));
      patternCache.set(policy, compiled);
    }
    return compiled.some((m) => m(action));
  }
  return policy.execute.some((e) => e.matchesAction(action));
}

/** The permit a submission must take, or null when no limit applies to it. `requestId` is the action id. */
export function permitFor(
  policy: CompiledPolicy,
  request: ActionRequest,
  decision: Decision,
  requestId: string,
  timeScale = 1,
): { key: LimiterKey; permit: PermitRequest } | null {
  if (decision.verdict === 'deny') return null;
  const limits = limitsOf(policy, timeScale);
  if (!limits) return null;
  const kind: PermitKind = isRemediation(policy, request.action) ? 'remediation' : 'action';
  if (kind === 'action' && limits.maxActions === null) return null;
  return { key: { tenant: request.tenant ?? 'default', blueprint: policy.blueprint, agent: request.agent }, permit: { kind, requestId, limits } };
}

/** What the submit path does with a held limit. */
export interface RateLimitBlock {
  /** The decision the approval workflow is started with: a refusal that says why (fail closed). */
  decision: Decision;
  /** For `ApprovalInput.block`: the workflow reports status `blocked` with this retryAfter. */
  block: { reason: string; retryAfter: number };
}

/** The block for a permit the limiter refused, or null when it granted it. */
export function blockFor(policy: CompiledPolicy, request: ActionRequest, decision: Decision, kind: PermitKind, grant: Grant): RateLimitBlock | null {
  if (grant.granted) return null;
  const reason = `rate limit: ${grant.reason} for agent ${request.agent} under ${policy.blueprint} (${kind} ${request.action}); retry after ${grant.retryAfter} s`;
  return blockOf(decision, reason, grant.retryAfter, `security.rateLimit.${grant.limit ?? 'maxActionsPerMinute'}`);
}

/** The block when the limiter cannot be reached: fail closed, retry in a second. */
export function unavailableBlock(policy: CompiledPolicy, request: ActionRequest, decision: Decision): RateLimitBlock {
  return blockOf(decision, `rate limiter unavailable (${policy.blueprint}, agent ${request.agent}): blocked (fail closed)`, 1, 'security.rateLimit');
}

function blockOf(base: Decision, reason: string, retryAfter: number, rulePath: string): RateLimitBlock {
  const decision: Decision = {
    ...denyInstead(base, reason),
    rule: { path: rulePath, line: 0 },
    explanation: [...base.explanation, `the policy answered ${base.verdict} (${base.rule.path}), but ${reason}`],
  };
  return { decision, block: { reason, retryAfter } };
}
