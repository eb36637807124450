/**
 * `countersign openshell [check]`: the OpenShell reviewer on its own. `check` connects to the
 * gateway and prints who we are, what we may not do, and each sandbox's pending chunks; without
 * a subcommand it runs the HTTP API (for the signed callback and submissions) with only the
 * OpenShell integration, against TEMPORAL_ADDRESS, until SIGINT/SIGTERM. Workers run elsewhere.
 */
import type { Command } from '../io.js';

const HELP = `usage: countersign openshell [check]

Reviews an OpenShell gateway's pending draft policy chunks (also runs inside \`countersign start\`
when OPENSHELL_GATEWAY is set). \`check\` prints the reviewer's identity, any missing scope or
workspace role, and each sandbox's pending chunks, then exits (1 when something is missing).

environment:
  OPENSHELL_GATEWAY host:port   OPENSHELL_WORKSPACE (default)   OPENSHELL_POLL_INTERVAL (5s)
  OPENSHELL_TOKEN or OPENSHELL_TLS_CA + OPENSHELL_TLS_CERT + OPENSHELL_TLS_KEY
  OPENSHELL_BLUEPRINT  OPENSHELL_AGENT  OPENSHELL_API_KEY (that agent's apiKey)
  OPENSHELL_CALLBACK_SECRET (that agent's callbackSecret; default COUNTERSIGN_CALLBACK_SECRET)
  OPENSHELL_CALLBACK_URL (base URL the worker reaches this API at; default COUNTERSIGN_PUBLIC_URL)
  plus the service variables of \`countersign api --help\`.`;

export const openshell: Command = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) return io.stdout(HELP), 0;
  if (args.length > 1 || (args[0] !== undefined && args[0] !== 'check')) return io.stderr(`countersign openshell: unknown arguments ${args.join(' ')}\n${HELP}`), 2;
  const os = await import('../../integrations/front-doors/openshell/index.js');
  let config;
  try {
    config = os.readConfig(io.env, io.env.COUNTERSIGN_PUBLIC_URL ?? 'http://127.0.0.1:8787');
  } catch (error) {
    return io.stderr(`countersign openshell: invalid configuration: ${(error as Error).message}`), 2;
  }
  if (!config) return io.stderr('countersign openshell: OPENSHELL_GATEWAY is not set (host:port of the gateway)'), 2;
  if (args[0] === 'check') return check(os.createGatewayClient(config), config, io);
  return run(io);
};

/**
 * Who the gateway says we are, whether we may do what the reviewer does (list sandboxes, read
 * drafts, approve and reject: `sandbox:read`, `config:read`, `config:write` and the workspace's
 * `admin` role), and each sandbox's pending chunks. The approve check asks the gateway itself
 * (an approve with no sandbox name is refused after the scope and role checks, before anything
 * happens), so it holds whatever the token's scopes list says. Exit 1 when anything is missing.
 */
async function check(gateway: import('../../integrations/front-doors/openshell/index.js').GatewayClient, config: { gateway: string; workspace: string }, io: Parameters<Command>[1]): Promise<number> {
  const problems: string[] = [];
  try {
    io.stdout(`gateway ${config.gateway}, workspace ${config.workspace}`);
    try {
      const me = await gateway.currentUser();
      io.stdout(`reviewer: ${me.subject}${me.display_name ? ` (${me.display_name})` : ''} via ${me.identity_provider || 'unknown'}`);
      io.stdout(`roles: ${me.roles.join(', ') || '(none)'}; scopes: ${me.scopes.join(', ') || '(none listed)'}`);
      if (me.scopes.length > 0 && !me.scopes.includes('openshell:all')) {
        for (const [scope, why] of REVIEWER_SCOPES) if (!me.scopes.includes(scope)) problems.push(`missing scope ${scope} (${why})`);
      }
    } catch (error) {
      problems.push(`GetCurrentUser: ${(error as Error).message}`);
    }
    const approve = await gateway.probeApprove();
    if (approve) problems.push(`may not approve or reject in workspace ${config.workspace} (config:write and the workspace role admin): ${approve.message}`);
    try {
      for (const sandbox of await gateway.listSandboxes()) {
        const pending = await gateway.getDraft(sandbox.name, 'pending');
        io.stdout(`${sandbox.name}: ${pending.length} pending${pending.map((c) => `\n  ${c.id} ${c.rule_name}${c.application_error ? ` (not applicable: ${c.application_error})` : ''}`).join('')}`);
      }
    } catch (error) {
      const e = error as { code?: string; message: string };
      problems.push(`${e.code ? `${e.code}: ` : ''}${e.message}`);
    }
    for (const p of problems) io.stderr(`countersign openshell check: ${p}`);
    if (problems.length === 0) io.stdout('ok: the reviewer may list, read, approve and reject');
    return problems.length === 0 ? 0 : 1;
  } finally {
    gateway.close();
  }
}

/** What the reviewer needs of the gateway, and why. */
const REVIEWER_SCOPES: readonly (readonly [string, string])[] = [
  ['sandbox:read', 'to list sandboxes and watch them'],
  ['config:read', 'to read draft policy chunks'],
  ['config:write', 'to approve and reject chunks'],
];

async function run(io: Parameters<Command>[1]): Promise<number> {
  const { ConfigError } = await import('../../infra/config/index.js');
  const { createLogger } = await import('../../infra/logger.js');
  const { closeOnSignals, loadServiceConfig, startService } = await import('../../server/index.js');
  const { createOpenShellIntegration } = await import('../../integrations/front-doors/openshell/index.js');
  let config;
  try {
    config = loadServiceConfig({ env: io.env, cwd: io.cwd, checkPolicyDir: true });
  } catch (error) {
    if (error instanceof ConfigError) return io.stderr(`countersign openshell: invalid configuration, nothing started:\n${error.format()}`), 2;
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, destination: { write: (line: string) => io.stderr(line) } });
  try {
    const integration = createOpenShellIntegration({
      env: io.env, approvers: config.approvers, groups: config.groups, logger, dataDir: config.dataDir,
      publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
    });
    const service = await startService({ config, logger, worker: false, api: true, embedded: false, env: { ...io.env }, integrations: integration ? [integration] : [] });
    io.stdout(`Countersign OpenShell reviewer ready: ${service.url} (Temporal ${service.temporalAddress})`);
    await closeOnSignals(service, logger);
    return 0;
  } catch (error) {
    io.stderr(`countersign openshell: could not start: ${(error as Error).message}`);
    return 1;
  }
}
