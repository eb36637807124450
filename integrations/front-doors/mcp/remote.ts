/**
 * The service's MCP endpoint: `/mcp/<name>` serves each upstream server of `mcpServers:` in
 * `countersign.yaml` over Streamable HTTP, every tool call decided as over stdio. An agent
 * authenticates with its API key as a bearer token and must be bound to the server's blueprint;
 * each MCP session gets its own upstream connection (a stdio server is started per session) and
 * belongs to the agent that opened it. Calls are submitted and read through the service's ports,
 * the same functions `POST /v1/actions` and `GET /v1/actions/:id` run.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { AgentIdentity } from '../../../core/index.js';
import type { Integration, Ports } from '../../integration.js';
import { sessionDecider } from './decider.js';
import { createGateway } from './gateway.js';

export const MCP_PATH = '/mcp/:name';

/** One entry of `mcpServers:` (validated by the service config). */
export interface McpUpstream {
  blueprint: string;
  url?: string | undefined;
  command?: string | undefined;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
}

interface Session {
  agent: string;
  server: string;
  transport: StreamableHTTPServerTransport;
  close(): Promise<void>;
}

const rpcError = (reply: FastifyReply, status: number, message: string, headers: Record<string, string> = {}) =>
  reply.code(status).headers(headers).send({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });

const bearer = (req: FastifyRequest): string | null => /^Bearer[ ]+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;

function upstreamTransport(u: McpUpstream) {
  if (u.url) return new StreamableHTTPClientTransport(new URL(u.url));
  return new StdioClientTransport({ command: u.command!, args: [...u.args], ...(Object.keys(u.env).length > 0 ? { env: { ...u.env } } : {}), stderr: 'pipe' });
}

export function createMcpIntegration(servers: Readonly<Record<string, McpUpstream>>, logger: Logger): Integration {
  const sessions = new Map<string, Session>();

  const open = async (ports: Ports, name: string, upstreamConfig: McpUpstream, agent: AgentIdentity, apiKey: string): Promise<StreamableHTTPServerTransport> => {
    const upstream = new Client({ name: 'countersign-mcp-gateway', version: '0.1.0' });
    await upstream.connect(upstreamTransport(upstreamConfig));
    const decide = sessionDecider(
      {
        submit: async (submission) => (await ports.submit(apiKey, { ...submission, idempotencyKey: randomUUID() })).response,
        read: (id, waitSeconds) => ports.agents.read(apiKey, id, waitSeconds),
        withdraw: (id, reason) => ports.agents.withdraw(apiKey, id, reason),
      },
      upstreamConfig.blueprint,
      name,
    );
    const gateway = createGateway({ serverName: name, upstream, decide });
    let sessionId: string | null = null;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        sessionId = sid;
        sessions.set(sid, { agent: agent.id, server: name, transport, close: async () => void (await Promise.allSettled([gateway.close(), upstream.close()])) });
        logger.info({ server: name, agent: agent.id }, `MCP session opened: ${name} for ${agent.id}`);
      },
    });
    transport.onclose = () => {
      if (sessionId) sessions.delete(sessionId);
      void upstream.close().catch(() => undefined);
    };
    await gateway.connect(transport);
    return transport;
  };

  return {
    name: 'mcp',
    routes(app, ports) {
      app.all(MCP_PATH, async (req, reply) => {
        // The key first: nothing about the servers is said to someone who is not an agent here.
        const apiKey = bearer(req);
        const agent = apiKey ? ports.agents.identify(apiKey) : null;
        if (!apiKey || !agent) {
          return rpcError(reply, 401, 'send an agent API key: Authorization: Bearer <key>', { 'www-authenticate': 'Bearer realm="countersign", error="invalid_token"' });
        }
        const name = (req.params as { name: string }).name;
        const upstreamConfig = Object.hasOwn(servers, name) ? servers[name] : undefined;
        if (!upstreamConfig) return rpcError(reply, 404, `no MCP server named ${name} here (mcpServers in countersign.yaml)`);
        if (!agent.blueprints.includes('*') && !agent.blueprints.includes(upstreamConfig.blueprint)) {
          logger.warn({ agent: agent.id, server: name, blueprint: upstreamConfig.blueprint }, `refused: agent ${agent.id} is not bound to blueprint ${upstreamConfig.blueprint} of MCP server ${name}`);
          return rpcError(reply, 403, `agent ${agent.id} is not bound to blueprint ${upstreamConfig.blueprint}, which decides MCP server ${name}`);
        }
        const sid = req.headers['mcp-session-id'];
        let transport: StreamableHTTPServerTransport;
        if (typeof sid === 'string') {
          const session = sessions.get(sid);
          // Another agent's session is answered like an unknown one.
          if (!session || session.agent !== agent.id || session.server !== name) return rpcError(reply, 404, 'no such MCP session: initialize a new one');
          transport = session.transport;
        } else if (req.method === 'POST' && isInitializeRequest(req.body)) {
          try {
            transport = await open(ports, name, upstreamConfig, agent, apiKey);
          } catch (error) {
            logger.error({ err: error, server: name }, `MCP server ${name} did not start`);
            return rpcError(reply, 502, `the upstream MCP server ${name} is not reachable: the call was not forwarded`);
          }
        } else {
          return rpcError(reply, 400, 'no MCP session: send initialize first (without an mcp-session-id header)');
        }
        reply.hijack();
        await transport.handleRequest(req.raw, reply.raw, req.body);
        return reply;
      });
    },
    async close() {
      await Promise.allSettled([...sessions.values()].map((s) => s.close()));
      sessions.clear();
    },
  };
}
