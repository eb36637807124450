/**
 * The limiter workflow's public contract: type name, message names, payloads and workflow id.
 * No workflow code, so the API and tests import it freely.
 *
 * One limiter workflow per (tenant, blueprint, agent): it holds that key's rate-limit windows and
 * cooldown in its own state (Temporal history), and hands out permits through the `acquire`
 * Update. Callers reach it with update-with-start (conflict policy USE_EXISTING), so concurrent
 * submissions from any number of API processes serialize through the one workflow.
 */
import type { Grant, Limits, MemoryOptions, PermitKind, WindowState } from './window.js';

export type { Grant, LimitName, Limits, PermitKind, WindowState } from './window.js';

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

/** `limiter/<tenant>/<blueprint>/<agent>`, each part URI-encoded (so `/` in a part cannot collide). */
export function limiterWorkflowId(key: LimiterKey): string {
  return `limiter/${encodeURIComponent(key.tenant)}/${encodeURIComponent(key.blueprint)}/${encodeURIComponent(key.agent)}`;
}

/** The `acquire` Update's argument. */
export interface AcquireInput {
  kind: PermitKind;
  /** Idempotency: a repeat of the same id is answered from memory and consumes nothing. */
  requestId: string;
  /** The caller's clock (epoch ms), informational only: the workflow decides on its own clock. */
  at?: number;
  /** Limits in force (from the current policy), in ms. */
  limits: Limits;
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
