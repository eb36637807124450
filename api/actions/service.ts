/**
 * The actions service: what the HTTP routes (and the front doors) call, independent of fastify.
 * Submit an action (policy decision, limits, approval workflow start), read its state (optionally
 * long-polling until terminal), record a decision, and list approvals from Temporal visibility.
 * Each lives in its own module; this is the façade the app and tests hold.
 */
import type { Client } from '@temporalio/client';
import type { ActionSubmission, ApprovalState, DecisionResult, Groups, SubmitOutcome } from '../../core/index.js';
import type { Logger } from '../../infra/logger.js';
import type { Metrics } from '../../infra/metrics.js';
import type { CompiledPolicy } from '../../triggers/index.js';
import type { Principal } from '../auth.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { decideAction, type AnswerBody } from './decide.js';
import { countPending, listApprovals, type ApprovalListQuery, type ApprovalSummary } from './list.js';
import { getAction } from './read.js';
import { submitAction } from './submit.js';

export { toSubmitResponse } from './answer.js';
export type { ApprovalSummary } from './list.js';

/** What the actions service needs. */
export interface ActionsDeps {
  client: Client;
  taskQueue: string;
  policies: { get(blueprint: string): CompiledPolicy | undefined; list(): readonly CompiledPolicy[] };
  /** Group name → approver ids (from countersign.yaml). */
  groups: Groups;
  metrics: Metrics;
  logger: Logger;
  /** Epoch ms; injectable so tests pin the policy clock (change windows). */
  now: () => number;
  /** Rate limits (api/limits); default: a RateLimiter on `client` and `taskQueue`. */
  limits?: RateLimiter;
}

export class ActionsService {
  private readonly limits: RateLimiter;
  constructor(private readonly deps: ActionsDeps) {
    this.limits = deps.limits ?? new RateLimiter({ client: deps.client, taskQueue: deps.taskQueue });
  }

  /** Decides, applies rate limits and starts the approval workflow; `created: false` for a repeated idempotency key. */
  async submit(agent: Extract<Principal, { kind: 'agent' }>, body: ActionSubmission): Promise<SubmitOutcome> {
    return submitAction(this.deps, this.limits, agent, body);
  }

  /**
   * The action's state. With `waitSeconds > 0`, waits until it is terminal or the time is up,
   * driven by Temporal's long poll on the workflow's history (every new event re-reads the state).
   */
  async get(principal: Principal, id: string, waitSeconds = 0): Promise<ApprovalState> {
    return getAction(this.deps.client, principal, id, waitSeconds);
  }

  /** An approver's decision; refused attempts are recorded by the workflow and answered 403. */
  async decide(principal: Principal, id: string, body: AnswerBody): Promise<DecisionResult> {
    return decideAction(this.deps, principal, id, body);
  }

  /** Approvals from Temporal visibility (eventually consistent: a new one appears within about a second). */
  async list(principal: Principal, query: ApprovalListQuery): Promise<{ approvals: ApprovalSummary[] }> {
    return listApprovals(this.deps.client, principal, query);
  }

  /** Number of pending approvals (for the `countersign_pending` gauge). */
  async countPending(): Promise<number> {
    return countPending(this.deps.client);
  }
}
