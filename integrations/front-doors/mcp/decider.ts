/**
 * The gateway's decider: a tool call is submitted as the agent, then read until its verdict
 * (long polls of 30 s), reporting progress while a person decides; a call the client cancels is
 * withdrawn. Anything other than an approval — a refusal, an error, no answer — refuses the call:
 * fail closed. The stdio proxy reaches Countersign over HTTP, the service's own endpoint through
 * its ports; both hand this an {@link AgentSession}.
 */
import { TERMINAL_STATUSES } from '../../../core/index.js';
import type { ToolDecider, ToolVerdict } from './gateway.js';

/** Where one submission stands, as the gateway needs it. */
export interface SessionState {
  id: string;
  status: string;
  reason: string;
  retryAfter?: number | undefined;
  approvers?: readonly string[] | undefined;
  deadline?: number | null | undefined;
}

/** What the agent behind a gateway session can do. */
export interface AgentSession {
  submit(submission: { blueprint: string; action: string; params: Record<string, unknown>; context: Record<string, unknown> }, signal: AbortSignal): Promise<SessionState>;
  read(id: string, waitSeconds: number, signal: AbortSignal): Promise<SessionState>;
  withdraw(id: string, reason: string): Promise<unknown>;
}

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);
export const CANCELLED_REASON = 'the MCP client cancelled the tool call';

/** `promise`, or a rejection as soon as `signal` aborts (a read that cannot be cancelled still ends the wait). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function sessionDecider(agent: AgentSession, blueprint: string, serverName: string): ToolDecider {
  return async (call, { signal, progress }) => {
    const context = { mcp: { server: serverName, tool: call.tool, ...call.annotations } };
    let state: SessionState | null = null;
    try {
      state = await agent.submit({ blueprint, action: call.action, params: call.arguments, context }, signal);
      while (!TERMINAL.has(state.status)) {
        if (signal.aborted) throw signal.reason;
        const deadline = typeof state.deadline === 'number' ? ` before ${new Date(state.deadline).toISOString()}` : '';
        progress(`waiting for approval by ${(state.approvers ?? []).join(', ') || 'an approver'}${deadline} (Countersign request ${state.id})`);
        state = { ...state, ...(await abortable(agent.read(state.id, 30, signal), signal)) };
      }
    } catch (error) {
      if (signal.aborted) {
        // The client cancelled: take the request back, so nobody approves what will not run.
        if (state && !TERMINAL.has(state.status)) await agent.withdraw(state.id, CANCELLED_REASON).catch(() => undefined);
        throw error;
      }
      return { status: 'denied', id: state?.id ?? null, reason: `Countersign did not approve the call: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (state.status === 'approved') return { status: 'approved', id: state.id, reason: state.reason };
    const verdict: ToolVerdict = { status: state.status as Exclude<ToolVerdict['status'], 'approved'>, id: state.id, reason: state.reason };
    if (state.retryAfter !== undefined) verdict.retryAfter = state.retryAfter;
    return verdict;
  };
}
