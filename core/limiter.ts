/**
 * The limiter workflow's public contract: type name, messages, payloads and workflow id.
 *
 * One limiter workflow per (tenant, blueprint, agent) holds that key's rate-limit windows and
 * cooldown in its own state (Temporal history) and hands out permits through the `acquire`
 * Update. Callers reach it with update-with-start (conflict policy USE_EXISTING), so concurrent
 * submissions from any number of API processes serialize through the one workflow. Names are on
 * the wire: never rename one.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const LIMITER_WORKFLOW = 'limiterWorkflow';

export const LimiterMessage = {
  Acquire: 'acquire', // update
  State: 'limiterState', // query
} as const;

/** What the limits are scoped to. */
export interface LimiterKey {
  tenant: string;
  blueprint: string;
  agent: string;
}

/**
 * `limiter/<task queue>/<tenant>/<blueprint>/<agent>`, each part URI-encoded (so `/` in a part
 * cannot collide). The task queue is part of it, like the audit trail's: two deployments sharing a
 * namespace never send permits to each other's limiter (whose worker may be gone).
 */
export function limiterWorkflowId(key: LimiterKey, taskQueue: string): string {
  return `limiter/${encodeURIComponent(taskQueue)}/${encodeURIComponent(key.tenant)}/${encodeURIComponent(key.blueprint)}/${encodeURIComponent(key.agent)}`;
}

/** Every permit counts toward actions per minute; a remediation also toward remediations and the cooldown. */
export type PermitKind = 'action' | 'remediation';

/** The limits in force, in milliseconds; `null` means that limit is off. Sent with every request. */
export interface Limits {
  maxActions: number | null;
  actionWindowMs: number;
  maxRemediations: number | null;
  remediationWindowMs: number;
  cooldownMs: number | null;
}

export type LimitName = 'maxActionsPerMinute' | 'maxRemediationsPerHour' | 'cooldownAfterRemediation';

/** What one request is answered. */
export interface Grant {
  granted: boolean;
  /** 0 when granted; otherwise ms until a retry can be granted. */
  retryAfterMs: number;
  /** 0 when granted; otherwise whole seconds, rounded up, at least 1 (HTTP `Retry-After` style). */
  retryAfter: number;
  /** The limit that holds longest, when blocked. */
  limit?: LimitName;
  /** Why, in words (every limit that holds). */
  reason: string;
  /** True when this answers a requestId seen before (nothing was consumed again). */
  duplicate?: boolean;
}

/** A remembered answer, so a retried request is not counted twice. */
export interface Remembered {
  id: string;
  at: number;
  granted: boolean;
  retryAfterMs: number;
  limit?: LimitName;
  reason: string;
}

/** The state a limiter holds (and carries across continue-as-new). Plain JSON. */
export interface WindowState {
  /** Grant times (epoch ms) of every permit, ascending; only those still inside the window. */
  actions: number[];
  /** Grant times of remediation permits, ascending; only those still inside the window. */
  remediations: number[];
  lastRemediationAt: number | null;
  /** Recent requestIds and their answers, oldest first. */
  remembered: Remembered[];
  /** Windows of the latest request, used to prune when idle. */
  windows: { actionWindowMs: number; remediationWindowMs: number; cooldownMs: number };
}

/** How long and how many requestIds are remembered for idempotency. */
export interface MemoryOptions {
  rememberMs: number;
  maxRemembered: number;
}

/** One permit asked for; `requestId` makes a retried request count once. */
export interface PermitRequest {
  kind: PermitKind;
  requestId: string;
  limits: Limits;
}

/** The `acquire` Update's argument. */
export interface AcquireInput extends PermitRequest {
  /** The caller's clock (epoch ms), informational only: the workflow decides on its own clock. */
  at?: number;
}

/** The `acquire` Update's answer. */
export type AcquireResult = Grant & {
  /** The workflow clock (epoch ms) the answer was decided at. */
  decidedAt: number;
};

/** Workflow input; `state` is set when a run continues as new. */
export interface LimiterInput {
  key: LimiterKey;
  state?: WindowState;
  /** Continue as new after this many handled updates (default 500; Temporal allows 2000 per run). */
  continueAfterUpdates?: number;
  /** Idempotency memory (default: 10 minutes, 1000 requestIds). */
  memory?: MemoryOptions;
  /** Runs so far of this limiter (1 for the first). */
  run?: number;
}

/** What the state query answers and a finished limiter returns. */
export interface LimiterSnapshot {
  key: LimiterKey;
  state: WindowState;
  run: number;
  /** Updates handled by this run. */
  handled: number;
  /** Granted / blocked by this run (duplicates not counted). */
  granted: number;
  blocked: number;
}

export const acquireUpdate = defineUpdate<AcquireResult, [AcquireInput]>(LimiterMessage.Acquire);
export const limiterStateQuery = defineQuery<LimiterSnapshot>(LimiterMessage.State);
