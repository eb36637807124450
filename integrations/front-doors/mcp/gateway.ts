/**
 * The MCP gateway: an MCP server that stands in for an upstream MCP server. `tools/call` is
 * decided first (the action `mcp.<server>.<tool>`, params = the arguments, `context.mcp` = the
 * tool's annotations) and forwarded only when approved, with exactly the arguments that were
 * decided; a denial, an expiry or a block answers a tool error and the upstream never sees the
 * call. Every other request and notification passes through unchanged, in both directions.
 * Transport-agnostic: the stdio proxy (`countersign mcp`) and the service's HTTP endpoint connect it.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  ResultSchema,
  type CallToolResult,
  type ListToolsResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';

/** One tool call as it is submitted for a decision. */
export interface ToolCall {
  /** `mcp.<server>.<tool>`. */
  action: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** The tool's annotations from `tools/list` (`readOnlyHint`, `destructiveHint`, …), `{}` when it has none. */
  annotations: Record<string, unknown>;
}

/** How a decision ended, as the gateway needs it. */
export type ToolVerdict =
  | { status: 'approved'; id: string; reason: string }
  | { status: 'denied' | 'expired' | 'blocked' | 'withdrawn'; id: string | null; reason: string; retryAfter?: number };

/** Decides one call: submits it and waits (reporting progress) until its verdict. */
export type ToolDecider = (call: ToolCall, wait: { signal: AbortSignal; progress: (message: string) => void }) => Promise<ToolVerdict>;

export interface GatewayOptions {
  /** The `<name>` of `mcp.<name>.<tool>`. */
  serverName: string;
  /** A connected client of the upstream server. */
  upstream: Client;
  decide: ToolDecider;
}

/** `mcp.filesystem.write_file`. */
export const toolAction = (serverName: string, tool: string): string => `mcp.${serverName}.${tool}`;

/** The tool error a refused call answers with: the verdict, the reason and, when blocked, when to retry. */
export function refusal(verdict: Exclude<ToolVerdict, { status: 'approved' }>): CallToolResult {
  const retry = verdict.status === 'blocked' && verdict.retryAfter !== undefined ? ` Retry after ${verdict.retryAfter} s.` : '';
  const id = verdict.id ? ` (Countersign request ${verdict.id})` : '';
  return { isError: true, content: [{ type: 'text', text: `Countersign: ${verdict.status}: ${verdict.reason}.${retry}${id}` }] };
}

/** The gateway server for `o.upstream`: its capabilities and identity are the upstream's. */
export function createGateway(o: GatewayOptions): Server {
  const capabilities = o.upstream.getServerCapabilities() ?? {};
  const info = o.upstream.getServerVersion() ?? { name: o.serverName, version: '0.0.0' };
  const instructions = o.upstream.getInstructions();
  const server = new Server(info, { capabilities, ...(instructions ? { instructions } : {}) });
  const annotations = new Map<string, Record<string, unknown>>();
  const remember = (tools: readonly Tool[]) => {
    for (const t of tools) annotations.set(t.name, { ...(t.annotations ?? {}) });
  };

  if (capabilities.tools) {
    server.setRequestHandler(ListToolsRequestSchema, async (request, extra) => {
      const result = (await o.upstream.listTools(request.params, { signal: extra.signal })) as ListToolsResult;
      remember(result.tools);
      return result;
    });

    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const tool = request.params.name;
      if (!annotations.has(tool)) remember((await o.upstream.listTools(undefined, { signal: extra.signal })).tools);
      // Frozen: what is forwarded is exactly what was decided.
      const args = Object.freeze(structuredClone(request.params.arguments ?? {})) as Record<string, unknown>;
      const token = request.params._meta?.progressToken;
      let step = 0;
      const progress = (message: string) => {
        if (token === undefined) return;
        void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: ++step, message } }).catch(() => undefined);
      };
      const verdict = await o.decide({ action: toolAction(o.serverName, tool), tool, arguments: args, annotations: annotations.get(tool) ?? {} }, { signal: extra.signal, progress });
      if (verdict.status !== 'approved') return refusal(verdict);
      return (await o.upstream.callTool({ name: tool, arguments: args, ...(token !== undefined ? { _meta: { progressToken: token } } : {}) }, undefined, { signal: extra.signal })) as CallToolResult;
    });
  }

  // Everything else, both ways, unchanged.
  server.fallbackRequestHandler = async (request, extra) =>
    o.upstream.request({ method: request.method, params: request.params } as never, ResultSchema, { signal: extra.signal });
  server.fallbackNotificationHandler = async (notification) => o.upstream.notification(notification as never);
  o.upstream.fallbackRequestHandler = async (request, extra) =>
    server.request({ method: request.method, params: request.params } as never, ResultSchema, { signal: extra.signal });
  o.upstream.fallbackNotificationHandler = async (notification) => server.notification(notification as never);
  return server;
}
