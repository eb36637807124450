/**
 * `POST /v1/actions/:id/withdraw`: the agent that submitted a pending request takes it back (an
 * MCP client cancelled the call, the agent changed its mind). It ends `withdrawn`, nobody can
 * approve it any more, and the sandbox is told to block. Whoever may not see the action gets the
 * 404 an unknown id gets; someone who sees it but did not submit it gets 403.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { isTerminal, withdrawUpdate, type ApprovalState } from '../../core/index.js';
import type { Principal } from '../auth.js';
import { ApiError, ErrorCode, forbidden } from '../errors.js';
import { Access, noSuchAction } from './access.js';
import { look, refuseUnseen } from './read.js';
import type { ServiceContext } from './service.js';

export async function withdrawAction(ctx: ServiceContext, principal: Principal, id: string, reason: string | undefined): Promise<ApprovalState> {
  if (principal.kind !== 'agent') throw forbidden('only the agent that submitted a request withdraws it: use its API key');
  const seen = await look(ctx, principal, id);
  if (seen.access === Access.None) {
    await refuseUnseen(ctx, principal, id, 'decide', seen.state !== null);
    throw noSuchAction(id);
  }
  const { state, handle } = seen;
  if (state.request?.agent !== principal.id) throw forbidden(`only ${state.request?.agent ?? 'the submitting agent'}, which submitted action ${id}, may withdraw it`);
  if (isTerminal(state.status)) {
    throw new ApiError(409, ErrorCode.AlreadyDecided, `action ${id} is already ${state.status}: nothing to withdraw`, { status: state.status });
  }
  try {
    const after = await handle.executeUpdate(withdrawUpdate, { args: [{ agent: principal.id, reason: reason ?? `withdrawn by ${principal.id}`, via: 'api' }] });
    ctx.logger.info({ actionId: id, agent: principal.id }, `action ${id} withdrawn by ${principal.id}`);
    return after;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw new ApiError(409, ErrorCode.AlreadyDecided, `not withdrawn: ${error.cause?.message ?? error.message}`);
    }
    throw error;
  }
}
