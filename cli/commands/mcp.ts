/**
 * `countersign mcp --server-name <name> --blueprint <blueprint> -- <command> [args…]`: the local
 * MCP gateway. An MCP host launches this instead of the server; it checks the agent key against a
 * running Countersign (`COUNTERSIGN_URL`, `COUNTERSIGN_API_KEY`), starts the upstream server over
 * stdio, and serves it on stdin/stdout with every tool call decided by policy first. Any problem
 * before that is one line on stderr and exit 1, before the host sees a server. Nothing but MCP
 * messages is ever written to stdout.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ClientError, Countersign } from '../../client/index.js';
import { createGateway } from '../../integrations/front-doors/mcp/index.js';
import type { Command } from '../io.js';
import { httpDecider } from '../mcp/decider.js';

export const MCP_USAGE = `usage: countersign mcp --server-name <name> --blueprint <blueprint> -- <command> [args…]
  --server-name  the name in mcp.<name>.<tool>, the action a policy decides (letters, digits, _ and -)
  --blueprint    the blueprint that decides this server's tool calls (bound to the agent key)
  environment: COUNTERSIGN_URL (default http://127.0.0.1:8787), COUNTERSIGN_API_KEY (the agent key)`;

const DEFAULT_URL = 'http://127.0.0.1:8787';

export const mcp: Command = async (args, io) => {
  const fail = (message: string): number => {
    io.stderr(`countersign mcp: ${message}`);
    return 1;
  };
  const dash = args.indexOf('--');
  const own = dash === -1 ? args : args.slice(0, dash);
  const [command, ...commandArgs] = dash === -1 ? [] : args.slice(dash + 1);
  if (own.includes('--help') || own.includes('-h')) {
    io.stderr(MCP_USAGE);
    return 0;
  }
  const flags = new Map<string, string>();
  for (let i = 0; i < own.length; i++) {
    const flag = own[i]!;
    if (flag !== '--server-name' && flag !== '--blueprint') return fail(`unknown option ${flag}\n${MCP_USAGE}`);
    const value = own[i + 1];
    if (value === undefined || value.startsWith('--')) return fail(`${flag} needs a value\n${MCP_USAGE}`);
    flags.set(flag.slice(2), value);
    i++;
  }
  const serverName = flags.get('server-name');
  const blueprint = flags.get('blueprint');
  if (!serverName) return fail(`--server-name is required\n${MCP_USAGE}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(serverName)) return fail(`--server-name ${JSON.stringify(serverName)} must be letters, digits, _ and - (it becomes mcp.${serverName}.<tool>)`);
  if (!blueprint) return fail(`--blueprint is required\n${MCP_USAGE}`);
  if (!command) return fail(`name the upstream server's command after --, e.g. -- npx -y @modelcontextprotocol/server-filesystem /tmp\n${MCP_USAGE}`);
  const apiKey = io.env.COUNTERSIGN_API_KEY;
  if (!apiKey) return fail('COUNTERSIGN_API_KEY is not set: set it to the agent API key bound to the blueprint');
  const url = io.env.COUNTERSIGN_URL || DEFAULT_URL;

  const client = new Countersign({ baseUrl: url, apiKey, retries: 1 });
  try {
    const me = await client.whoami({ timeoutMs: 10_000 });
    if (me.kind !== 'agent') return fail(`COUNTERSIGN_API_KEY is the approver token of ${me.id}, not an agent key: the gateway acts as an agent`);
    const bound = me.blueprints.includes('*') || me.blueprints.includes(blueprint);
    if (!bound) return fail(`agent ${me.id} is not bound to blueprint ${blueprint}: it may submit to ${me.blueprints.join(', ')} (agents[].blueprints in countersign.yaml)`);
    if (!me.loaded.includes(blueprint)) return fail(`no blueprint ${blueprint} is loaded at ${url} (agent ${me.id} may use: ${me.loaded.join(', ') || 'none'})`);
  } catch (error) {
    if (error instanceof ClientError && error.code === 'auth') return fail(`COUNTERSIGN_API_KEY is not a key Countersign at ${url} knows`);
    if (error instanceof ClientError && (error.code === 'network' || error.code === 'server' || error.code === 'timeout')) {
      return fail(`cannot reach Countersign at ${url} (${error.message}): start it (npx countersign start) or set COUNTERSIGN_URL`);
    }
    return fail(`Countersign at ${url} refused: ${error instanceof Error ? error.message : String(error)}`);
  }

  const upstream = new Client({ name: 'countersign-mcp-gateway', version: '0.1.0' });
  const env = Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'COUNTERSIGN_API_KEY'));
  try {
    await upstream.connect(new StdioClientTransport({ command, args: commandArgs, env, stderr: 'inherit', cwd: io.cwd }));
  } catch (error) {
    return fail(`the upstream server (${[command, ...commandArgs].join(' ')}) did not start: ${error instanceof Error ? error.message : String(error)}`);
  }

  const server = createGateway({ serverName, upstream, decide: httpDecider(client, blueprint, serverName) });
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    upstream.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport());
  io.stderr(`countersign mcp: serving ${serverName} through blueprint ${blueprint} (Countersign at ${url})`);
  await closed;
  await Promise.allSettled([server.close(), upstream.close()]);
  return 0;
};
