/**
 * An approver's decision through the HTTP API (`POST /v1/actions/:id/decision`). A decision from
 * someone who may not decide is still sent to the workflow (as a signal) so the refused attempt
 * is on record; the caller is told it did not count.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { tenantOf } from '../../core/crypto/index.js';
import { decideSignal, decideUpdate, eligibleOf, isTerminal, type DecisionInput, type DecisionResult, type DecisionValue } from '../../core/index.js';
import type { Logger } from '../../infra/logger.js';
import type { Principal } from '../auth.js';
import { ApiError, ErrorCode, forbidden, notFound } from '../errors.js';
import { queryState } from './read.js';

/** An approver's answer as the API takes it (`reason` is required to deny: checked at the edge). */
export interface AnswerBody {
  decision: DecisionValue;
  reason?: string | undefined;
}

export async function decideAction(
  deps: { client: Client; logger: Logger },
  principal: Principal,
  id: string,
  body: AnswerBody,
): Promise<DecisionResult> {
  if (principal.kind !== 'approver') throw forbidden('only approvers decide: use an approver token, not an agent API key');
  if (tenantOf(id) === null) throw notFound(`no action with id ${id}`);
  const handle = deps.client.workflow.getHandle(id);
  const state = await queryState(handle);
  const eligible = eligibleOf(state);
  if (!eligible.includes(principal.id)) {
    // The workflow refuses and records the attempt; the caller learns it did not count.
    if (!isTerminal(state.status)) {
      const attempt: DecisionInput = { approverId: principal.id, decision: body.decision, via: 'web', requestHash: state.requestHash };
      await handle.signal(decideSignal, attempt).catch((error: unknown) => deps.logger.warn({ err: error, actionId: id }, 'could not record a refused decision'));
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
    const result = await handle.executeUpdate(decideUpdate, { args: [input] });
    deps.logger.info(
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

function isCompletedError(error: unknown): boolean {
  const msg = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : '';
  return /already completed|workflow execution already completed/i.test(msg);
}
