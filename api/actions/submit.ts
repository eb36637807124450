/**
 * Submitting an action (`POST /v1/actions`): the policy decides, approver groups resolve, rate
 * limits may block, then the approval workflow starts and the answer is its first settled state.
 * The same idempotency key answers from the existing workflow instead of starting another.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { actionId, requestHash } from '../../core/crypto/index.js';
import {
  APPROVAL_WORKFLOW,
  covers,
  freezeFor,
  redact,
  SearchAttributeKey as SA,
  slaDeadline,
  summaryOf,
  type ActionRequest,
  type ActionSubmission,
  type ApprovalInput,
  type ApprovalMemo,
  type Freeze,
  type Status,
  type SubmitResponse,
} from '../../core/index.js';
import { decide, keepsModelIO, resolveApprovers, signsAudit } from '../../triggers/index.js';
import { toSubmitResponse } from './answer.js';
import type { ServiceContext } from './service.js';
import type { Principal } from '../auth.js';
import { ApiError, ErrorCode, unavailable } from '../errors.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { settled } from './read.js';

/** Runs one submission; `created: false` when the idempotency key already started a workflow for the same request. */
export async function submitAction(
  deps: ServiceContext,
  limits: RateLimiter,
  agent: Extract<Principal, { kind: 'agent' }>,
  body: ActionSubmission,
): Promise<{ created: boolean; response: SubmitResponse }> {
  if (!covers(agent.agent.blueprints, body.blueprint)) {
    deps.metrics.submissions.inc({ verdict: 'forbidden' });
    const why = `agent ${agent.id} is not bound to blueprint ${body.blueprint}: it may submit to ${agent.agent.blueprints.join(', ')} (agents[].blueprints in countersign.yaml)`;
    await deps.refusals.record(agent.tenant, { event: 'refused', id: 'submission', who: agent.id, why, data: { refusal: 'forbidden-blueprint', blueprint: body.blueprint, action: body.action } });
    throw new ApiError(403, ErrorCode.Forbidden, why);
  }
  await refuseFrozen(deps, agent, body);
  const policy = deps.policies.get(body.blueprint);
  if (!policy) {
    const known = deps.policies.list().map((p) => p.blueprint).filter((b) => covers(agent.agent.blueprints, b));
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
  const decided = decide(policy, request, deps.now());
  deps.metrics.policyEvaluation.observe((performance.now() - started) / 1000);

  // Only members whose tenants include the request's decide it (one group may serve several tenants).
  const resolved = resolveApprovers(decided, deps.groups, (approverId) => covers(deps.tenantsOf(approverId), agent.tenant), agent.tenant);
  const { escalation } = resolved;
  let { decision, eligible } = resolved;
  // A held rate limit (api/limits) turns the decision into a block.
  const limited = await limits.check({ policy, request, decision, id });
  if (limited) decision = limited.decision;
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
    policyFile: path.basename(policy.file),
  };
  if (signsAudit(policy)) input.auditSigned = true;
  if (keepsModelIO(policy)) input.auditModelIO = true;
  if (body.callbackUrl !== undefined) input.callbackUrl = body.callbackUrl;
  if (limited) input.block = limited.block;

  const initialStatus: Status = limited
    ? 'blocked'
    : decision.verdict === 'auto_approve' ? 'approved' : decision.verdict === 'deny' ? 'denied' : 'pending';
  const searchAttributes: SearchAttributePair[] = [
    { key: SA.Status, value: initialStatus },
    { key: SA.Groups, value: [...decision.approvers] },
    { key: SA.Blueprint, value: policy.blueprint },
    { key: SA.Tenant, value: agent.tenant },
    { key: SA.Agent, value: agent.id },
    { key: SA.Eligible, value: [...eligible] },
  ];
  const memo: ApprovalMemo = {
    action: request.action,
    agent: agent.id,
    summary: summaryOf(redact({ action: request.action, ...(request.resource !== undefined ? { resource: request.resource } : {}), params: request.params ?? {} }, input.piiFields)),
    quorum: decision.verdict === 'require_approval' ? Math.max(1, decision.quorum) : 0,
    approved: 0,
  };
  const answer = firstAnswer(input, initialStatus);
  // Listed with its deadline from the first moment, before the workflow's first task runs.
  if (answer.deadline !== undefined) searchAttributes.push({ key: SA.Deadline, value: new Date(answer.deadline) });
  try {
    await deps.client.workflow.start(APPROVAL_WORKFLOW, {
      workflowId: id,
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: searchAttributes,
      memo: { ...memo },
    });
    deps.metrics.submissions.inc({ verdict: limited ? 'blocked' : decision.verdict });
    deps.logger.info(
      { actionId: id, agent: agent.id, tenant: agent.tenant, blueprint: policy.blueprint, verdict: decision.verdict, rule: decision.rule },
      `action ${body.action} submitted: ${decision.verdict}`,
    );
    return { created: true, response: answer };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      // The same key again (a retry, or a concurrent submission): answer from the existing workflow.
      const existing = await existingSubmission(deps, agent.id, id, hash, body.blueprint);
      if (existing) return { created: false, response: existing };
    }
    throw error;
  }
}

/**
 * The answer to a new submission, from what the workflow was started with: the verdict is already
 * settled, so the agent does not wait for a worker to run the workflow's first task. The SLA runs
 * from `submittedAt` (`slaDeadline` in core), so `deadline` is the workflow's own.
 */
function firstAnswer(input: ApprovalInput, status: Status): SubmitResponse {
  const d = input.decision;
  const out: SubmitResponse = { id: input.id, status, verdict: d.verdict, reason: input.block?.reason ?? d.reason };
  if (input.block) out.retryAfter = input.block.retryAfter;
  if (d.verdict === 'require_approval') {
    out.approvers = d.approvers;
    out.eligible = input.eligible;
    out.deadline = slaDeadline(input.submittedAt, d.slaSeconds);
  }
  return out;
}

/**
 * The existing submission with id `id`, or null; 409 when it was made with another request. The
 * 409 names the action only to the agent that made it: another agent of the tenant that happens
 * on the same key learns nothing about the action.
 */
async function existingSubmission(deps: ServiceContext, agentId: string, id: string, hash: string, blueprint: string): Promise<SubmitResponse | null> {
  const handle = deps.client.workflow.getHandle(id);
  let described;
  try {
    described = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
  const state = await settled(deps.client, handle);
  const previousBlueprint = described.typedSearchAttributes.get(SA.Blueprint);
  if (state.request?.agent !== agentId) {
    throw new ApiError(409, ErrorCode.IdempotencyConflict, 'idempotencyKey was already used for a different request: use a new key for a new request');
  }
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


/** 403 `frozen` when the agent, the blueprint or the tenant is frozen; 503 when the list cannot be read (fail closed). */
async function refuseFrozen(deps: ServiceContext, agent: Extract<Principal, { kind: 'agent' }>, body: ActionSubmission): Promise<void> {
  if (!deps.freezes) return;
  let freezes: readonly Freeze[];
  try {
    freezes = await deps.freezes.current();
  } catch {
    throw unavailable(`cannot tell whether agent ${agent.id} is frozen (the freeze list does not answer)`);
  }
  const frozen = freezeFor(freezes, { agent: agent.id, tenant: agent.tenant, blueprint: body.blueprint });
  if (!frozen) return;
  deps.metrics.submissions.inc({ verdict: 'frozen' });
  const why = `${frozen.scope} ${frozen.value} is frozen by ${frozen.by}: ${frozen.reason}`;
  await deps.refusals.record(agent.tenant, { event: 'refused', id: 'submission', who: agent.id, why, data: { refusal: 'frozen', scope: frozen.scope, value: frozen.value, blueprint: body.blueprint, action: body.action } });
  throw new ApiError(403, ErrorCode.Frozen, why, { frozen: { scope: frozen.scope, value: frozen.value, by: frozen.by, at: frozen.at } });
}
