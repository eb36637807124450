/**
 * Reading an approval's state, optionally waiting for it to change (`GET /v1/actions/:id?wait=`),
 * driven by Temporal's long poll on the workflow's history rather than by timer polling.
 */
import { setMaxListeners } from 'node:events';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { tenantOf } from '../../core/crypto/index.js';
import { ANY, isTerminal, stateQuery, type ApprovalState } from '../../core/index.js';
import type { Principal } from '../auth.js';
import { ApiError, ErrorCode, notFound } from '../errors.js';
import { Access, accessTo, noSuchAction } from './access.js';
import type { ServiceContext } from './service.js';

/** The workflow's `state` query; 404 when there is no such workflow. */
export async function queryState(handle: WorkflowHandle): Promise<ApprovalState> {
  try {
    return await handle.query(stateQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound(`no action with id ${handle.workflowId}`);
    throw error;
  }
}

/**
 * The workflow's state once `done(state)` holds or `ms` have passed, whichever is first. Driven
 * by Temporal's long poll on the workflow's history: each new batch of events re-reads the state
 * (no timer polling). A closed workflow answers at once.
 */
export async function waitUntil(client: Client, handle: WorkflowHandle, done: (s: ApprovalState) => boolean, ms: number): Promise<ApprovalState> {
  let state = await queryState(handle);
  if (done(state) || ms <= 0) return state;
  const controller = new AbortController();
  // Every long-poll page and query below listens on this one signal.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    await client.withAbortSignal(controller.signal, async () => {
      let nextPageToken: Uint8Array | undefined;
      for (;;) {
        const page = await client.workflowService.getWorkflowExecutionHistory({
          namespace: client.options.namespace,
          execution: { workflowId: handle.workflowId },
          nextPageToken: nextPageToken ?? null,
          waitNewEvent: true,
          skipArchival: true,
        });
        if ((page.history?.events?.length ?? 0) > 0) {
          state = await queryState(handle);
          if (done(state)) return;
        }
        if (!page.nextPageToken || page.nextPageToken.length === 0) {
          state = await queryState(handle); // the workflow closed
          return;
        }
        nextPageToken = page.nextPageToken;
      }
    });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    state = await queryState(handle); // time is up: answer with the latest state
  } finally {
    clearTimeout(timer);
  }
  return state;
}

/**
 * The state once the workflow has taken its first steps: terminal (auto-approve, deny, blocked)
 * or pending with its deadline set. Bounded at 5 s; then the state as it is.
 */
export function settled(client: Client, handle: WorkflowHandle): Promise<ApprovalState> {
  return waitUntil(client, handle, (s) => s.status !== 'pending' || s.deadline !== null, 5000);
}

/**
 * The action's state for `principal`. With `waitSeconds > 0`, waits until it is terminal or the
 * time is up. 404, recorded as a refusal, both when there is no such action and when the caller
 * may not see it (see `accessTo`): the answer never tells which.
 */
export async function getAction(ctx: ServiceContext, principal: Principal, id: string, waitSeconds: number): Promise<ApprovalState> {
  const seen = await look(ctx, principal, id);
  if (seen.access === Access.None) {
    await refuseUnseen(ctx, principal, id, 'read', seen.state !== null);
    throw noSuchAction(id);
  }
  const { state, handle } = seen;
  if (waitSeconds <= 0 || isTerminal(state.status)) return state;
  return waitUntil(ctx.client, handle, (s) => isTerminal(s.status), waitSeconds * 1000);
}

/** What {@link look} found: the state only when the caller may see it. */
export type Seen =
  | { access: typeof Access.None; state: ApprovalState | null; tenant: string | null }
  | { access: Exclude<Access, 'none'>; state: ApprovalState; handle: WorkflowHandle; tenant: string };

/** The action `id` and what `principal` may do with it; records nothing. */
export async function look(ctx: ServiceContext, principal: Principal, id: string): Promise<Seen> {
  const tenant = tenantOf(id);
  if (tenant === null) return { access: Access.None, state: null, tenant };
  const handle = ctx.client.workflow.getHandle(id);
  let state: ApprovalState;
  try {
    state = await queryState(handle);
  } catch (error) {
    if (error instanceof ApiError && error.code === ErrorCode.NotFound) return { access: Access.None, state: null, tenant };
    throw error;
  }
  const access = accessTo(principal, tenant, state);
  return access === Access.None ? { access, state, tenant } : { access, state, handle, tenant };
}

/** Records that `principal` tried to `attempt` an action it may not see (or that does not exist). */
export function refuseUnseen(ctx: ServiceContext, principal: Principal, id: string, attempt: 'read' | 'decide', exists: boolean): Promise<void> {
  return ctx.refusals.record(tenantOf(id) ?? ANY, {
    event: 'refused',
    id,
    who: principal.id,
    why: `${principal.kind} ${principal.id} may not ${attempt} action ${id}${exists ? '' : ' (no such action)'}`,
    data: { refusal: `${attempt}-not-visible`, exists },
  });
}
