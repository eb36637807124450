/**
 * Rate limits and cooldowns (`security.rateLimit`) on the submit path, held durably by one limiter
 * workflow per (tenant, blueprint, agent) — see workflows/limiter/.
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
import { randomUUID } from 'node:crypto';
import type { AcquireResult, ActionRequest, Decision, LimiterKey, Limits, PermitKind } from '../core/index.js';
import type { CompiledPolicy } from '../triggers/index.js';
import { compileActionPattern } from '../triggers/expression/action-pattern.js';
import { LimiterClient, LimiterUnavailableError, type LimiterClientOptions } from './limiter-client.js';
import { denyInstead } from './refusal.js';

export { isRetryableLimiterError, LimiterUnavailableError } from './limiter-client.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface RateLimiterOptions extends LimiterClientOptions {
  /**
   * Multiplies every window and cooldown (default 1). Tests use e.g. 0.05: a minute becomes 3 s,
   * an hour 180 s, a 60 s cooldown 3 s.
   */
  timeScale?: number;
}

/** The policy's limits in ms (scaled), or null when it has none. */
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

/** The policy's limits on the submit path; `acquire` (limiter-client.ts) takes one permit directly. */
export class RateLimiter extends LimiterClient {
  readonly timeScale: number;
  constructor(options: RateLimiterOptions) {
    super(options);
    this.timeScale = options.timeScale ?? 1;
  }

  /**
   * The submit-path overlay. For a decision the policy did not deny, under a policy with limits:
   * takes a permit (`requestId` = the action id, so a retried submission is not counted twice).
   * Returns null when nothing holds (or nothing applies); otherwise the refusal decision to start
   * the approval workflow with and the `block` for `ApprovalInput`.
   * When the limiter cannot be reached the action is blocked (fail closed) with retryAfter 1.
   */
  async check(args: { policy: CompiledPolicy; request: ActionRequest; decision: Decision; id: string }): Promise<RateLimitBlock | null> {
    const { policy, request, decision, id } = args;
    if (decision.verdict === 'deny') return null;
    const limits = limitsOf(policy, this.timeScale);
    if (!limits) return null;
    const kind: PermitKind = isRemediation(policy, request.action) ? 'remediation' : 'action';
    if (kind === 'action' && limits.maxActions === null) return null;
    const key: LimiterKey = { tenant: request.tenant ?? 'default', blueprint: policy.blueprint, agent: request.agent };
    let result: AcquireResult;
    try {
      result = await this.acquire(key, { kind, requestId: id, limits });
    } catch (error) {
      if (!(error instanceof LimiterUnavailableError)) throw error;
      const reason = `rate limiter unavailable (${policy.blueprint}, agent ${request.agent}): blocked (fail closed)`;
      return blockOf(decision, reason, 1, 'security.rateLimit');
    }
    if (result.granted) return null;
    const what = kind === 'remediation' ? 'remediation' : 'action';
    const reason = `rate limit: ${result.reason} for agent ${request.agent} under ${policy.blueprint} (${what} ${request.action}); retry after ${result.retryAfter} s`;
    return blockOf(decision, reason, result.retryAfter, `security.rateLimit.${result.limit ?? 'maxActionsPerMinute'}`);
  }
}

/** What the submit path does with a held limit. */
export interface RateLimitBlock {
  /** The decision the approval workflow is started with: a refusal that says why (fail closed). */
  decision: Decision;
  /** For `ApprovalInput.block`: the workflow reports status `blocked` with this retryAfter. */
  block: { reason: string; retryAfter: number };
}

function blockOf(base: Decision, reason: string, retryAfter: number, rulePath: string): RateLimitBlock {
  const decision: Decision = {
    ...denyInstead(base, reason),
    rule: { path: rulePath, line: 0 },
    explanation: [...base.explanation, `the policy answered ${base.verdict} (${base.rule.path}), but ${reason}`],
  };
  return { decision, block: { reason, retryAfter } };
}

/** A request id for callers without one (tests, tools). */
export const newRequestId = (): string => randomUUID();
