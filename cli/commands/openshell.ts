/**
 * `countersign openshell [check]`: the OpenShell reviewer on its own. `check` connects to the
 * gateway and prints each sandbox's pending chunks (a connectivity and credentials test); without
 * a subcommand it runs the HTTP API (for the signed callback and submissions) with only the
 * OpenShell integration, against TEMPORAL_ADDRESS, until SIGINT/SIGTERM. Workers run elsewhere.
 */
import type { Command } from '../io.js';

const HELP = `usage: countersign openshell [check]

Reviews an OpenShell gateway's pending draft policy chunks (also runs inside \`countersign start\`
when OPENSHELL_GATEWAY is set). \`check\` lists sandboxes and pending chunks and exits.

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
  if (args[0] === 'check') return check(os.createGatewayClient(config), io);
  return run(io);
};

async function check(gateway: import('../../integrations/front-doors/openshell/index.js').GatewayClient, io: Parameters<Command>[1]): Promise<number> {
  try {
    for (const sandbox of await gateway.listSandboxes()) {
      const pending = await gateway.getDraft(sandbox, 'pending');
      io.stdout(`${sandbox}: ${pending.length} pending${pending.map((c) => `\n  ${c.id} ${c.rule_name}`).join('')}`);
    }
    return 0;
  } catch (error) {
    const e = error as { code?: string; message: string };
    return io.stderr(`countersign openshell check: ${e.code ? `${e.code}: ` : ''}${e.message}`), 1;
  } finally {
    gateway.close();
  }
}

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
