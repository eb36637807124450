/**
 * The MCP front door: a gateway MCP server in front of an upstream one, deciding every
 * `tools/call` by policy before it is forwarded (see gateway.ts). `countersign mcp` runs it over
 * stdio; the decider is how calls reach Countersign.
 */
export { createGateway, refusal, toolAction, type GatewayOptions, type ToolCall, type ToolDecider, type ToolVerdict } from './gateway.js';
