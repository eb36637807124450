/**
 * The stdio proxy's decider: each tool call is submitted to a running Countersign over HTTP with
 * the agent's key (the TypeScript client, which retries 503s with one idempotency key), then
 * long-polled until its verdict, reporting progress while a person decides. Anything Countersign
 * answers other than an approval — a refusal, an error, no answer — is a refusal: fail closed.
 */
import { ClientError, type Countersign } from '../../client/index.js';
import type { ToolDecider, ToolVerdict } from '../../integrations/front-doors/mcp/index.js';

const TERMINAL = new Set(['approved', 'denied', 'expired', 'blocked', 'withdrawn']);

export function httpDecider(client: Countersign, blueprint: string, serverName: string): ToolDecider {
  return async (call, { signal, progress }) => {
    const context = { mcp: { server: serverName, tool: call.tool, ...call.annotations } };
    let state: { id: string; status: string; reason: string; retryAfter?: number; approvers?: readonly string[]; deadline?: number | null } | null = null;
    try {
      state = await client.submit({ blueprint, action: call.action, params: call.arguments, context }, { signal });
      while (!TERMINAL.has(state.status)) {
        const deadline = typeof state.deadline === 'number' ? ` before ${new Date(state.deadline).toISOString()}` : '';
        progress(`waiting for approval by ${(state.approvers ?? []).join(', ') || 'an approver'}${deadline} (Countersign request ${state.id})`);
        state = await client.get(state.id, { wait: 30 }, { signal });
      }
    } catch (error) {
      if (signal.aborted) {
        // The client cancelled the call: take the request back, so nobody approves what will not run.
        if (state && !TERMINAL.has(state.status)) await client.withdraw(state.id, 'the MCP client cancelled the tool call', { timeoutMs: 5000 }).catch(() => undefined);
        throw error;
      }
      const why = error instanceof ClientError ? error.message : String(error);
      return { status: 'denied', id: null, reason: `Countersign did not approve the call: ${why}` };
    }
    if (state === null) return { status: 'denied', id: null, reason: 'Countersign did not answer' };
    if (state.status === 'approved') return { status: 'approved', id: state.id, reason: state.reason };
    const verdict: ToolVerdict = { status: state.status as Exclude<ToolVerdict['status'], 'approved'>, id: state.id, reason: state.reason };
    if (state.retryAfter !== undefined) verdict.retryAfter = state.retryAfter;
    return verdict;
  };
}
