/**
 * The MCP front door: a gateway MCP server in front of an upstream one, deciding every
 * `tools/call` by policy before it is forwarded (see gateway.ts). `countersign mcp` runs it over
 * stdio (talking to Countersign over HTTP); the service serves it at `/mcp/<name>` over Streamable
 * HTTP (remote.ts, through its ports). Either way calls are decided by {@link sessionDecider}.
 */
export { CANCELLED_REASON, sessionDecider, type AgentSession, type SessionState } from './decider.js';
export { createMcpIntegration, MCP_PATH, type McpUpstream } from './remote.js';
export { createGateway, refusal, toolAction, type GatewayOptions, type ToolCall, type ToolDecider, type ToolVerdict } from './gateway.js';
