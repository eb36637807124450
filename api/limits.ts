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
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { ActionRequest, CompiledPolicy, Decision } from '../triggers/index.js';
import { compileActionPattern } from '../triggers/expression/action-pattern.js';
import {
  LIMITER_WORKFLOW,
  limiterWorkflowId,
  type AcquireInput,
  type AcquireResult,
  type LimiterInput,
  type LimiterKey,
  type Limits,
  type PermitKind,
} from '../workflows/limiter/contract.js';
import { acquireUpdate } from '../workflows/limiter/messages.js';
import type { MemoryOptions } from '../workflows/limiter/window.js';

export { limiterWorkflowId, type AcquireResult, type LimiterKey, type Limits, type PermitKind };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface RateLimiterOptions {
  client: Client;
  /** The task queue the worker running `limiterWorkflow` polls (the service's queue). */
  taskQueue: string;
  /**
   * Multiplies every window and cooldown (default 1). Tests use e.g. 0.05: a minute becomes 3 s,
   * an hour 180 s, a 60 s cooldown 3 s.
   */
  timeScale?: number;
  /** Passed to new limiter workflows: continue as new after this many updates (default 500). */
  continueAfterUpdates?: number;
  /** Passed to new limiter workflows: idempotency memory. */
  memory?: MemoryOptions;
  /** Attempts of one acquire when Temporal pushes back (too many in-flight updates, …). Default 12. */
  maxAttempts?: number;
  /** First backoff in ms (default 50), doubled per attempt up to 2 s, with full jitter. */
  backoffMs?: number;
  /**
   * Updates this process keeps in flight per limiter workflow (default 8; Temporal allows 10 per
   * workflow). Extra callers wait in line here instead of being pushed back by the server.
   */
  maxInFlightPerKey?: number;
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

/** The limiter workflow answered neither way within the attempts (Temporal overloaded or down). */
export class LimiterUnavailableError extends Error {
  override name = 'LimiterUnavailableError';
}

/** Why an update-with-start failed in a way a retry can fix (server push-back or a run change). */
export function isRetryableLimiterError(error: unknown): boolean {
  if (error instanceof WorkflowUpdateFailedError) return false; // the workflow answered: a real failure
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    // RESOURCE_EXHAUSTED (too many in-flight updates), UNAVAILABLE, ABORTED, NOT_FOUND (run just closed).
    if (code === 8 || code === 14 || code === 10 || code === 5) return true;
    const text = `${(e as Error).message ?? ''} ${(e as { details?: string }).details ?? ''}`;
    if (/in-flight|resource.?exhausted|too many|workflow is closing|already completed|continued.?as.?new|not found|unavailable/i.test(text)) return true;
    if ((e as Error).name === 'WorkflowNotFoundError') return true;
  }
  return false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A counting semaphore per key: at most `limit` holders at once, FIFO. */
class KeyedGate {
  private readonly gates = new Map<string, { active: number; waiting: (() => void)[] }>();
  constructor(private readonly limit: number) {}

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let gate = this.gates.get(key);
    if (!gate) {
      gate = { active: 0, waiting: [] };
      this.gates.set(key, gate);
    }
    if (gate.active >= this.limit) await new Promise<void>((resolve) => gate.waiting.push(resolve));
    else gate.active++;
    try {
      return await fn();
    } finally {
      const next = gate.waiting.shift();
      if (next) next(); // hand the slot over
      else if (--gate.active === 0) this.gates.delete(key);
    }
  }
}

export class RateLimiter {
  readonly timeScale: number;
  /** Acquire attempts retried after push-back (beyond the gRPC client's own retries). */
  readonly stats = { retries: 0 };
  private readonly gate: KeyedGate;
  constructor(private readonly options: RateLimiterOptions) {
    this.timeScale = options.timeScale ?? 1;
    this.gate = new KeyedGate(Math.max(1, options.maxInFlightPerKey ?? 8));
  }

  /**
   * One permit for `key` through its limiter workflow (started if needed, update-with-start with
   * conflict policy USE_EXISTING). Retries push-back with jittered exponential backoff; the same
   * `requestId` is sent each time, so a retry never consumes twice.
   */
  acquire(key: LimiterKey, req: { kind: PermitKind; requestId: string; limits: Limits }): Promise<AcquireResult> {
    const workflowId = limiterWorkflowId(key);
    return this.gate.run(workflowId, () => this.acquireNow(workflowId, key, req));
  }

  private async acquireNow(workflowId: string, key: LimiterKey, req: { kind: PermitKind; requestId: string; limits: Limits }): Promise<AcquireResult> {
    const input: LimiterInput = { key };
    if (this.options.continueAfterUpdates !== undefined) input.continueAfterUpdates = this.options.continueAfterUpdates;
    if (this.options.memory !== undefined) input.memory = this.options.memory;
    const maxAttempts = this.options.maxAttempts ?? 12;
    const base = this.options.backoffMs ?? 50;
    let last: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const args: AcquireInput = { kind: req.kind, requestId: req.requestId, at: Date.now(), limits: req.limits };
      const startWorkflowOperation = new WithStartWorkflowOperation(LIMITER_WORKFLOW, {
        workflowId,
        taskQueue: this.options.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      try {
        return await this.options.client.workflow.executeUpdateWithStart(acquireUpdate, { args: [args], startWorkflowOperation });
      } catch (error) {
        last = error;
        if (!isRetryableLimiterError(error) || attempt === maxAttempts) break;
        this.stats.retries++;
        await sleep(Math.random() * Math.min(2000, base * 2 ** (attempt - 1)));
      }
    }
    if (isRetryableLimiterError(last)) {
      throw new LimiterUnavailableError(`rate limiter ${workflowId} did not answer after ${maxAttempts} attempts: ${String((last as Error)?.message ?? last)}`, { cause: last });
    }
    throw last;
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
    ...base,
    verdict: 'deny',
    reason,
    approvers: [],
    quorum: 0,
    escalateTo: null,
    escalateAfterSeconds: null,
    remindEverySeconds: null,
    rule: { path: rulePath, line: 0 },
    explanation: [...base.explanation, `the policy answered ${base.verdict} (${base.rule.path}), but ${reason}`],
  };
  return { decision, block: { reason, retryAfter } };
}

/** A request id for callers without one (tests, tools). */
export const newRequestId = (): string => randomUUID();
