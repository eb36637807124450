/**
 * An approver's decision through the HTTP API (`POST /v1/actions/:id/decision`). A decision from
 * someone who may not decide is still sent to a pending workflow (as a signal) so the refused
 * attempt is on its record; the caller is told it did not count.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  decideSignal,
  decideUpdate,
  isTerminal,
  type DecisionInput,
  type DecisionResult,
  type DecisionValue,
} from '../../core/index.js';
import type { Principal } from '../auth.js';
import { ApiError, ErrorCode, forbidden } from '../errors.js';
import { Access, noSuchAction } from './access.js';
import { look, queryState, refuseUnseen } from './read.js';
import type { ServiceContext } from './service.js';

/** An approver's answer as the API takes it (`reason` is required to deny: checked at the edge). */
export interface AnswerBody {
  decision: DecisionValue;
  reason?: string | undefined;
  /** The request hash the person saw (the console's form carries it): a different one is refused. */
  requestHash?: string | undefined;
}

/**
 * Records `principal`'s decision on action `id`. Whoever may not see the action gets the 404 an
 * unknown id gets; an auditor, who sees it, gets 403. Either refused attempt is recorded: by the
 * workflow while the approval is pending, on the tenant's audit trail otherwise.
 */
export async function decideAction(ctx: ServiceContext, principal: Principal, id: string, body: AnswerBody): Promise<DecisionResult> {
  if (principal.kind !== 'approver') throw forbidden('only approvers decide: use an approver token, not an agent API key');
  const seen = await look(ctx, principal, id);
  if (seen.access !== Access.Decide) {
    const pending = seen.state !== null && !isTerminal(seen.state.status);
    // A pending approval refuses and records the attempt itself (its history, its audit entries).
    if (pending) await signalRefused(ctx, principal.id, id, body);
    else await refuseUnseen(ctx, principal, id, 'decide', seen.state !== null);
    if (seen.access === Access.None) throw noSuchAction(id);
    throw forbidden(`${principal.id} audits tenant ${seen.tenant}: auditors read actions, they never decide them`);
  }
  const { state, handle } = seen;
  if (isTerminal(state.status)) {
    throw new ApiError(409, ErrorCode.AlreadyDecided, `action ${id} is already ${state.status}: decisions are closed`, { status: state.status });
  }
  if (body.requestHash !== undefined && body.requestHash !== state.requestHash) {
    throw new ApiError(409, ErrorCode.RequestChanged, `action ${id} is not the request you reviewed (its hash differs): reload it and review it again`);
  }
  const input: DecisionInput = { approverId: principal.id, decision: body.decision, via: 'web', requestHash: state.requestHash };
  if (body.reason !== undefined) input.reason = body.reason;
  try {
    const result = await handle.executeUpdate(decideUpdate, { args: [input] });
    ctx.logger.info(
      { actionId: id, approver: principal.id, decision: body.decision, counted: result.counted },
      `decision on ${id}: ${result.message}`,
    );
    return result;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw new ApiError(409, ErrorCode.AlreadyDecided, `decision not accepted: ${error.cause?.message ?? error.message}`);
    }
    if (error instanceof WorkflowNotFoundError || isCompletedError(error)) {
      const latest = await queryState(handle);
      throw new ApiError(409, ErrorCode.AlreadyDecided, `action ${id} is already ${latest.status}: decisions are closed`, { status: latest.status });
    }
    throw error;
  }
}

/** Sends a refused attempt to a pending approval, whose workflow refuses and records it. */
async function signalRefused(ctx: ServiceContext, approverId: string, id: string, body: AnswerBody): Promise<void> {
  const attempt: DecisionInput = { approverId, decision: body.decision, via: 'web' };
  await ctx.client.workflow
    .getHandle(id)
    .signal(decideSignal, attempt)
    .catch((error: unknown) => ctx.logger.warn({ err: error, actionId: id }, 'could not record a refused decision'));
}

function isCompletedError(error: unknown): boolean {
  const msg = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : '';
  return /already completed|workflow execution already completed/i.test(msg);
}
