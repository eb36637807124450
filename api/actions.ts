/**
 * What the HTTP routes do, independent of fastify: submit an action (policy decision + approval
 * workflow start), read its state (optionally long-polling until terminal), record a decision, and
 * list approvals from Temporal visibility.
 */
import { createHash, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { decide, requestHash, type ActionRequest, type CompiledPolicy, type Decision } from '../triggers/index.js';
import {
  APPROVAL_WORKFLOW,
  Message,
  SearchAttribute,
  TERMINAL_STATUSES,
  type ApprovalInput,
  type ApprovalState,
  type DecisionInput,
  type DecisionResult,
  type Status,
} from '../workflows/contract.js';
import type { Logger } from '../server/logger.js';
import type { Metrics } from '../server/metrics.js';
import type { Principal } from './auth.js';
import { ApiError, ErrorCode, forbidden, notFound } from './errors.js';
import type { DecisionBody, SubmitBody } from './schemas.js';
import { RateLimiter } from './limits.js';

export const SA = {
  status: defineSearchAttributeKey(SearchAttribute.Status, SearchAttributeType.KEYWORD),
  groups: defineSearchAttributeKey(SearchAttribute.Groups, SearchAttributeType.KEYWORD_LIST),
  blueprint: defineSearchAttributeKey(SearchAttribute.Blueprint, SearchAttributeType.KEYWORD),
  tenant: defineSearchAttributeKey(SearchAttribute.Tenant, SearchAttributeType.KEYWORD),
  deadline: defineSearchAttributeKey(SearchAttribute.Deadline, SearchAttributeType.DATETIME),
};

/** What the actions service needs. */
export interface ActionsDeps {
  client: Client;
  taskQueue: string;
  policies: { get(blueprint: string): CompiledPolicy | undefined; list(): readonly CompiledPolicy[] };
  /** Group name → approver ids (from countersign.yaml). */
  groups: Readonly<Record<string, readonly string[]>>;
  metrics: Metrics;
  logger: Logger;
  /** Epoch ms; injectable so tests pin the policy clock (change windows). */
  now: () => number;
  /** Rate limits (api/limits.ts); default: a RateLimiter on `client` and `taskQueue`. */
  limits?: RateLimiter;
}

/** The submission answer (`POST /v1/actions`). */
export interface SubmitResponse {
  id: string;
  status: Status;
  verdict: Decision['verdict'];
  reason: string;
  retryAfter?: number;
  /** Approver groups asked (from the policy). */
  approvers?: readonly string[];
  /** Approver ids who may decide. */
  eligible?: readonly string[];
  /** Epoch ms after which the approval expires. */
  deadline?: number;
}

const ID_PATTERN = /^act_(.+)_([0-9a-f]{32})$/;

/** `act_<tenant>_<first 32 hex of sha256(idempotencyKey)>`. */
export function actionId(tenant: string, idempotencyKey: string): string {
  return `act_${tenant}_${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32)}`;
}

/** The tenant encoded in an action id, or null when `id` is not one. */
export function tenantOf(id: string): string | null {
  return ID_PATTERN.exec(id)?.[1] ?? null;
}

export const isTerminal = (status: Status): boolean => TERMINAL_STATUSES.includes(status);

/** Approver ids allowed to decide, as the state reports them (eligible plus escalation once escalated). */
function eligibleOf(state: ApprovalState): readonly string[] {
  return (state as ApprovalState & { eligible?: readonly string[] }).eligible ?? [];
}

export function toSubmitResponse(state: ApprovalState): SubmitResponse {
  const out: SubmitResponse = { id: state.id, status: state.status, verdict: state.verdict, reason: state.reason };
  if (state.retryAfter !== undefined) out.retryAfter = state.retryAfter;
  if (state.verdict === 'require_approval') {
    out.approvers = state.approvers;
    out.eligible = eligibleOf(state);
    if (state.deadline !== null) out.deadline = state.deadline;
  }
  return out;
}

/** A decision that refuses, built from `base` (fail closed when config and policy disagree at run time). */
function denyInstead(base: Decision, reason: string): Decision {
  return {
    ...base,
    verdict: 'deny',
    reason,
    approvers: [],
    quorum: 0,
    escalateTo: null,
    escalateAfterSeconds: null,
    remindEverySeconds: null,
    explanation: [...base.explanation, reason],
  };
}

export class ActionsService {
  private readonly limits: RateLimiter;
  constructor(private readonly deps: ActionsDeps) {
    this.limits = deps.limits ?? new RateLimiter({ client: deps.client, taskQueue: deps.taskQueue });
  }

  private handle(id: string): WorkflowHandle {
    return this.deps.client.workflow.getHandle(id);
  }

  /** Resolves group names to approver ids; null plus a reason when a group is unknown or empty. */
  private resolve(groups: readonly string[]): { ids: string[] } | { problem: string } {
    const ids = new Set<string>();
    for (const group of groups) {
      const members = this.deps.groups[group];
      if (!members) return { problem: `approver group "${group}" is not defined in the service config, so nobody can approve: denied (fail closed)` };
      if (members.length === 0) return { problem: `approver group "${group}" has no members, so nobody can approve: denied (fail closed)` };
      for (const m of members) ids.add(m);
    }
    return { ids: [...ids] };
  }

  async submit(agent: Extract<Principal, { kind: 'agent' }>, body: SubmitBody): Promise<{ created: boolean; response: SubmitResponse }> {
    const policy = this.deps.policies.get(body.blueprint);
    if (!policy) {
      const known = this.deps.policies.list().map((p) => p.blueprint);
      throw new ApiError(
        400,
        ErrorCode.UnknownBlueprint,
        `unknown blueprint "${body.blueprint}": known blueprints are ${known.length ? known.join(', ') : '(none loaded)'}`,
        { known, issues: [{ path: 'blueprint', message: `no policy named "${body.blueprint}"` }] },
      );
    }
    const key = body.idempotencyKey ?? randomUUID();
    const request: ActionRequest = { action: body.action, agent: agent.id, tenant: agent.tenant, idempotencyKey: key };
    if (body.resource !== undefined) request.resource = body.resource;
    if (body.params !== undefined) request.params = body.params;
    if (body.context !== undefined) request.context = body.context;
    const hash = requestHash(request);
    const id = actionId(agent.tenant, key);

    const started = performance.now();
    let decision = decide(policy, request, this.deps.now());
    this.deps.metrics.policyEvaluation.observe((performance.now() - started) / 1000);

    let eligible: string[] = [];
    let escalation: string[] = [];
    if (decision.verdict === 'require_approval') {
      const resolved = this.resolve(decision.approvers);
      if ('problem' in resolved) decision = denyInstead(decision, resolved.problem);
      else eligible = resolved.ids;
    }
    if (decision.verdict === 'require_approval' && decision.escalateTo) {
      const resolved = this.resolve([decision.escalateTo]);
      if ('problem' in resolved) decision = denyInstead(decision, `escalation: ${resolved.problem}`);
      else escalation = resolved.ids.filter((x) => !eligible.includes(x));
    }
    // ---- rate limits (api/limits.ts): a held limit turns the decision into a block ----
    const limited = await this.limits.check({ policy, request, decision, id });
    if (limited) decision = limited.decision;
    // ---- end rate limits ----
    if (decision.verdict !== 'require_approval') eligible = [];

    const input: ApprovalInput = {
      id,
      request,
      requestHash: hash,
      blueprint: policy.blueprint,
      policyHash: policy.hash,
      decision,
      eligible,
      escalation,
      piiFields: [...policy.piiFields],
      submittedAt: Date.now(),
    };
    if (body.callbackUrl !== undefined) input.callbackUrl = body.callbackUrl;
    if (limited) input.block = limited.block; // rate limits (api/limits.ts)

    const initialStatus: Status = limited
      ? 'blocked'
      : decision.verdict === 'auto_approve' ? 'approved' : decision.verdict === 'deny' ? 'denied' : 'pending';
    const searchAttributes: SearchAttributePair[] = [
      { key: SA.status, value: initialStatus },
      { key: SA.groups, value: [...decision.approvers] },
      { key: SA.blueprint, value: policy.blueprint },
      { key: SA.tenant, value: agent.tenant },
    ];
    try {
      const handle = await this.deps.client.workflow.start(APPROVAL_WORKFLOW, {
        workflowId: id,
        taskQueue: this.deps.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: searchAttributes,
      });
      this.deps.metrics.submissions.inc({ verdict: limited ? 'blocked' : decision.verdict });
      this.deps.logger.info(
        { actionId: id, agent: agent.id, tenant: agent.tenant, blueprint: policy.blueprint, verdict: decision.verdict, rule: decision.rule },
        `action ${body.action} submitted: ${decision.verdict}`,
      );
      return { created: true, response: toSubmitResponse(await this.settled(handle)) };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        // The same key again (a retry, or a concurrent submission): answer from the existing workflow.
        const existing = await this.existing(id, hash, body.blueprint);
        if (existing) return { created: false, response: existing };
      }
      throw error;
    }
  }

  /** The existing submission with id `id`, or null; 409 when it was made with another request. */
  private async existing(id: string, hash: string, blueprint: string): Promise<SubmitResponse | null> {
    const handle = this.handle(id);
    let described;
    try {
      described = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
    const state = await this.settled(handle);
    const previousBlueprint = described.typedSearchAttributes.get(SA.blueprint);
    if (state.requestHash !== hash || (previousBlueprint !== undefined && previousBlueprint !== blueprint)) {
      throw new ApiError(
        409,
        ErrorCode.IdempotencyConflict,
        `idempotencyKey was already used for a different request (action ${id}): use a new key for a new request, or resend the original body to get its state`,
        { id },
      );
    }
    return toSubmitResponse(state);
  }

  /**
   * The state once the workflow has taken its first steps: terminal (auto-approve, deny, blocked)
   * or pending with its deadline set. Bounded at 5 s; then the state as it is.
   */
  private settled(handle: WorkflowHandle): Promise<ApprovalState> {
    return this.waitUntil(handle, (s) => s.status !== 'pending' || s.deadline !== null, 5000);
  }

  private async query(handle: WorkflowHandle): Promise<ApprovalState> {
    try {
      return await handle.query<ApprovalState>(Message.State);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notFound(`no action with id ${handle.workflowId}`);
      throw error;
    }
  }

  /** 403 unless `principal` may read action `id`; 404 when `id` is not an action id. */
  private authorizeRead(principal: Principal, id: string): void {
    const tenant = tenantOf(id);
    if (tenant === null) throw notFound(`no action with id ${id}`);
    if (principal.kind === 'agent' && principal.tenant !== tenant) {
      throw forbidden(`action ${id} belongs to another tenant`);
    }
  }

  /**
   * The action's state. With `waitSeconds > 0`, waits until it is terminal or the time is up,
   * driven by Temporal's long poll on the workflow's history (every new event re-reads the state).
   */
  async get(principal: Principal, id: string, waitSeconds = 0): Promise<ApprovalState> {
    this.authorizeRead(principal, id);
    return this.waitUntil(this.handle(id), (s) => isTerminal(s.status), waitSeconds * 1000);
  }

  /**
   * The workflow's state once `done(state)` holds or `ms` have passed, whichever is first. Driven
   * by Temporal's long poll on the workflow's history: each new batch of events re-reads the state
   * (no timer polling). A closed workflow answers at once.
   */
  private async waitUntil(handle: WorkflowHandle, done: (s: ApprovalState) => boolean, ms: number): Promise<ApprovalState> {
    let state = await this.query(handle);
    if (done(state) || ms <= 0) return state;
    const controller = new AbortController();
    // Every long-poll page and query below listens on this one signal.
    setMaxListeners(0, controller.signal);
    const timer = setTimeout(() => controller.abort(), ms);
    try {
      await this.deps.client.withAbortSignal(controller.signal, async () => {
        let nextPageToken: Uint8Array | undefined;
        for (;;) {
          const page = await this.deps.client.workflowService.getWorkflowExecutionHistory({
            namespace: this.deps.client.options.namespace,
            execution: { workflowId: handle.workflowId },
            nextPageToken: nextPageToken ?? null,
            waitNewEvent: true,
            skipArchival: true,
          });
          if ((page.history?.events?.length ?? 0) > 0) {
            state = await this.query(handle);
            if (done(state)) return;
          }
          if (!page.nextPageToken || page.nextPageToken.length === 0) {
            state = await this.query(handle); // the workflow closed
            return;
          }
          nextPageToken = page.nextPageToken;
        }
      });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      state = await this.query(handle); // time is up: answer with the latest state
    } finally {
      clearTimeout(timer);
    }
    return state;
  }

  async decide(principal: Principal, id: string, body: DecisionBody): Promise<DecisionResult> {
    if (principal.kind !== 'approver') throw forbidden('only approvers decide: use an approver token, not an agent API key');
    if (tenantOf(id) === null) throw notFound(`no action with id ${id}`);
    const handle = this.handle(id);
    const state = await this.query(handle);
    const eligible = eligibleOf(state);
    if (!eligible.includes(principal.id)) {
      // The workflow refuses and records the attempt; the caller learns it did not count.
      if (!isTerminal(state.status)) {
        const attempt: DecisionInput = { approverId: principal.id, decision: body.decision, via: 'web', requestHash: state.requestHash };
        await handle.signal(Message.Decide, attempt).catch((error: unknown) => this.deps.logger.warn({ err: error, actionId: id }, 'could not record a refused decision'));
      }
      throw forbidden(
        `${principal.id} is not an approver of action ${id}` +
          (state.approvers.length ? ` (asked: ${state.approvers.join(', ')})` : ' (it asks nobody)'),
      );
    }
    if (isTerminal(state.status)) {
      throw new ApiError(409, ErrorCode.AlreadyDecided, `action ${id} is already ${state.status}: decisions are closed`, { status: state.status });
    }
    const input: DecisionInput = { approverId: principal.id, decision: body.decision, via: 'web', requestHash: state.requestHash };
    if (body.reason !== undefined) input.reason = body.reason;
    try {
      const result = await handle.executeUpdate<DecisionResult, [DecisionInput]>(Message.Decide, { args: [input] });
      this.deps.logger.info(
        { actionId: id, approver: principal.id, decision: body.decision, counted: result.counted },
        `decision on ${id}: ${result.message}`,
      );
      return result;
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw new ApiError(409, ErrorCode.AlreadyDecided, `decision not accepted: ${error.cause?.message ?? error.message}`);
      }
      if (error instanceof WorkflowNotFoundError || isCompletedError(error)) {
        const latest = await this.query(handle);
        throw new ApiError(409, ErrorCode.AlreadyDecided, `action ${id} is already ${latest.status}: decisions are closed`, { status: latest.status });
      }
      throw error;
    }
  }

  /** Approvals from Temporal visibility (eventually consistent: a new one appears within about a second). */
  async list(
    principal: Principal,
    query: { status: Status; group?: string | undefined; blueprint?: string | undefined; limit?: number | undefined },
  ): Promise<{ approvals: ApprovalSummary[] }> {
    const clauses = [`WorkflowType = ${quote(APPROVAL_WORKFLOW)}`, `${SearchAttribute.Status} = ${quote(query.status)}`];
    if (query.group) clauses.push(`${SearchAttribute.Groups} = ${quote(query.group)}`);
    if (query.blueprint) clauses.push(`${SearchAttribute.Blueprint} = ${quote(query.blueprint)}`);
    if (principal.kind === 'agent') clauses.push(`${SearchAttribute.Tenant} = ${quote(principal.tenant)}`);
    const limit = query.limit ?? 100;
    const approvals: ApprovalSummary[] = [];
    for await (const info of this.deps.client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(limit, 100) })) {
      const deadline = info.typedSearchAttributes.get(SA.deadline);
      approvals.push({
        id: info.workflowId,
        status: (info.typedSearchAttributes.get(SA.status) ?? query.status) as Status,
        blueprint: info.typedSearchAttributes.get(SA.blueprint) ?? null,
        tenant: info.typedSearchAttributes.get(SA.tenant) ?? null,
        groups: info.typedSearchAttributes.get(SA.groups) ?? [],
        deadline: deadline ? deadline.getTime() : null,
        submittedAt: info.startTime.getTime(),
      });
      if (approvals.length >= limit) break;
    }
    return { approvals };
  }

  /** Number of pending approvals (for the `countersign_pending` gauge). */
  async countPending(): Promise<number> {
    const res = await this.deps.client.workflow.count(
      `WorkflowType = ${quote(APPROVAL_WORKFLOW)} AND ${SearchAttribute.Status} = ${quote('pending')}`,
    );
    return res.count;
  }
}

export interface ApprovalSummary {
  id: string;
  status: Status;
  blueprint: string | null;
  tenant: string | null;
  groups: string[];
  deadline: number | null;
  submittedAt: number;
}

/** A visibility-query string literal. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function isCompletedError(error: unknown): boolean {
  const msg = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : '';
  return /already completed|workflow execution already completed/i.test(msg);
}
