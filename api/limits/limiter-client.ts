/**
 * Taking a permit from a limiter workflow (workflows/limiter/) by update-with-start, retrying
 * Temporal's push-back. What a permit means for a policy is triggers/submission.
 */
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  acquireUpdate,
  CountersignError,
  Finality,
  LIMITER_WORKFLOW,
  limiterWorkflowId,
  type AcquireInput,
  type AcquireResult,
  type LimiterInput,
  type LimiterKey,
  type MemoryOptions,
  type PermitRequest,
} from '../../core/index.js';
import { KeyedGate } from './keyed-gate.js';

export interface LimiterClientOptions {
  client: Client;
  /** The task queue the worker running `limiterWorkflow` polls (the service's queue). */
  taskQueue: string;
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

/** The limiter workflow answered neither way within the attempts (Temporal overloaded or down). */
export class LimiterUnavailableError extends CountersignError<'limiter-unavailable'> {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('limiter-unavailable', message, { ...options, finality: Finality.Retryable });
  }
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

/**
 * One permit for `key` through its limiter workflow (started if needed, update-with-start with
 * conflict policy USE_EXISTING). Retries push-back with jittered exponential backoff; the same
 * `requestId` is sent each time, so a retry never consumes twice. Counts retries in `stats`.
 */
export class LimiterClient {
  /** Acquire attempts retried after push-back (beyond the gRPC client's own retries). */
  readonly stats = { retries: 0 };
  private readonly gate: KeyedGate;
  constructor(private readonly options: LimiterClientOptions) {
    this.gate = new KeyedGate(Math.max(1, options.maxInFlightPerKey ?? 8));
  }

  acquire(key: LimiterKey, req: PermitRequest): Promise<AcquireResult> {
    const workflowId = limiterWorkflowId(key, this.options.taskQueue);
    return this.gate.run(workflowId, () => this.acquireNow(workflowId, key, req));
  }

  private async acquireNow(workflowId: string, key: LimiterKey, req: PermitRequest): Promise<AcquireResult> {
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
}
