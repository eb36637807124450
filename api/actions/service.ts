/**
 * The actions service: what the HTTP routes (and the front doors) call, independent of fastify.
 * Submit an action (policy decision, limits, approval workflow start), read its state (optionally
 * long-polling until terminal), record a decision, and list approvals from Temporal visibility.
 * Each lives in its own module; this is the façade the app and tests hold.
 */
import type { Client } from '@temporalio/client';
import {
  ANY,
  type ActionSubmission,
  type ApprovalState,
  type Approver,
  type DecisionResult,
  type Groups,
  type SubmitOutcome,
} from '../../core/index.js';
import type { Logger } from '../../infra/logger.js';
import type { Metrics } from '../../infra/metrics.js';
import type { CompiledPolicy } from '../../triggers/index.js';
import type { Principal } from '../auth.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { decideAction, type AnswerBody } from './decide.js';
import { countPending, listApprovals, pendingMarks, type ApprovalListQuery, type ApprovalSummary, type PendingMark } from './list.js';
import { getAction } from './read.js';
import { createGate, DEFAULT_TEMPORAL_DEADLINE_MS, type Reachability, type TemporalGate } from './gate.js';
import { createRefusals, type Refusals } from './refusals.js';
import { submitAction } from './submit.js';
import { withdrawAction } from './withdraw.js';
import type { FreezeWatch } from '../freezes/watch.js';

export { toSubmitResponse } from './answer.js';
export type { ApprovalListQuery, ApprovalSummary, PendingMark } from './list.js';

/** What the actions service needs. */
export interface ActionsDeps {
  client: Client;
  taskQueue: string;
  policies: { get(blueprint: string): CompiledPolicy | undefined; list(): readonly CompiledPolicy[] };
  /** Group name → approver ids (from countersign.yaml). */
  groups: Groups;
  /** Who may decide, in which tenants (from countersign.yaml). */
  approvers: readonly Approver[];
  /** The agents' tenants (from countersign.yaml): refusals naming another tenant go to the `*` trail. */
  knownTenants: readonly string[];
  metrics: Metrics;
  logger: Logger;
  /** Epoch ms; injectable so tests pin the policy clock (change windows). */
  now: () => number;
  /** Rate limits (api/limits); default: a RateLimiter on `client` and `taskQueue`. */
  limits?: RateLimiter;
  /** Whether Temporal answers right now (infra/temporal/monitor.ts); without it only deadlines apply. */
  reachability?: Reachability | null;
  /** The kill switch's list (api/freezes); null: nothing is ever frozen (tests of other parts). */
  freezes?: FreezeWatch | null;
}

/** What the service's parts share: its deps, the refusal recorder and each approver's tenants. */
export interface ServiceContext extends ActionsDeps {
  refusals: Refusals;
  gate: TemporalGate;
  tenantsOf(approverId: string): readonly string[];
}

export class ActionsService {
  private readonly limits: RateLimiter;
  private readonly ctx: ServiceContext;
  /** Where the API's refusals and the kill switch's changes are recorded. */
  get refusals(): Refusals {
    return this.ctx.refusals;
  }
  constructor(deps: ActionsDeps) {
    this.limits = deps.limits ?? new RateLimiter({ client: deps.client, taskQueue: deps.taskQueue });
    const tenants = new Map(deps.approvers.map((a) => [a.id, a.tenants]));
    const known = new Set([...deps.knownTenants, ...deps.approvers.flatMap((a) => [...a.tenants, ...a.auditorOf])]);
    known.delete(ANY);
    this.ctx = {
      ...deps,
      refusals: createRefusals({ ...deps, tenants: known }),
      gate: createGate(deps.client, deps.reachability ?? null),
      tenantsOf: (id) => tenants.get(id) ?? [],
    };
  }

  /** Decides, applies rate limits and starts the approval workflow; `created: false` for a repeated idempotency key. */
  async submit(agent: Extract<Principal, { kind: 'agent' }>, body: ActionSubmission): Promise<SubmitOutcome> {
    // The answer waits up to 5 s for the workflow's first steps (`settled`), then answers with the
    // state as it is: the deadline leaves room for that wait plus the calls around it.
    return this.ctx.gate.run(() => submitAction(this.ctx, this.limits, agent, body), 2 * DEFAULT_TEMPORAL_DEADLINE_MS);
  }

  /**
   * The action's state. With `waitSeconds > 0`, waits until it is terminal or the time is up,
   * driven by Temporal's long poll on the workflow's history (every new event re-reads the state).
   */
  async get(principal: Principal, id: string, waitSeconds = 0): Promise<ApprovalState> {
    return this.ctx.gate.run(() => getAction(this.ctx, principal, id, waitSeconds), waitSeconds * 1000 + DEFAULT_TEMPORAL_DEADLINE_MS);
  }

  /** An approver's decision; refused attempts are recorded, and answered 404 to whoever may not see the action. */
  async decide(principal: Principal, id: string, body: AnswerBody): Promise<DecisionResult> {
    return this.ctx.gate.run(() => decideAction(this.ctx, principal, id, body), 2 * DEFAULT_TEMPORAL_DEADLINE_MS);
  }

  /** The submitting agent takes its pending request back; it ends `withdrawn`. */
  async withdraw(principal: Principal, id: string, reason?: string): Promise<ApprovalState> {
    return this.ctx.gate.run(() => withdrawAction(this.ctx, principal, id, reason), 2 * DEFAULT_TEMPORAL_DEADLINE_MS);
  }

  /** Approvals from Temporal visibility (eventually consistent: a new one appears within about a second). */
  async list(principal: Principal, query: ApprovalListQuery): Promise<{ approvals: ApprovalSummary[] }> {
    return this.ctx.gate.run(() => listApprovals(this.ctx.client, principal, query));
  }

  /** Every pending approval as a mark to diff (the console's change feed); at most `limit`. */
  async pendingMarks(limit = 5000): Promise<PendingMark[]> {
    return this.ctx.gate.run(() => pendingMarks(this.ctx.client, limit));
  }

  /** Number of pending approvals (for the `countersign_pending` gauge). */
  async countPending(): Promise<number> {
    return this.ctx.gate.run(() => countPending(this.ctx.client));
  }
}
