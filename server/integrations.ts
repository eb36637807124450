/** The integrations this process runs: approver channels and front doors. */
import { CHANNELS, FRONT_DOORS, loadIntegrations, type Integration } from '../integrations/index.js';
import { createMcpIntegration } from '../integrations/front-doors/mcp/index.js';
import type { Shutdown } from './shutdown.js';
import type { ServiceOptions } from './types.js';

/**
 * `options.integrations`, or every front door and channel whose environment variables are set,
 * plus the MCP endpoint when `countersign.yaml` lists `mcpServers`; closed on shutdown.
 */
export async function serviceIntegrations(options: ServiceOptions, shutdown: Shutdown): Promise<Integration[]> {
  const { config, logger } = options;
  const mcp = Object.keys(config.mcpServers).length > 0 ? [createMcpIntegration(config.mcpServers, logger.child({ component: 'mcp' }))] : [];
  const integrations = [
    ...mcp,
    ...(options.integrations ??
    (await loadIntegrations({
      env: options.env ?? process.env,
      approvers: config.approvers,
      groups: config.groups,
      logger: logger.child({ component: 'integrations' }),
      dataDir: config.dataDir,
      publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
    }, [...FRONT_DOORS, ...(options.channels ?? CHANNELS)]))),
  ];
  shutdown.push(async () => {
    for (const i of integrations) await i.close?.();
  });
  if (integrations.length > 0) logger.info({ integrations: integrations.map((i) => i.name) }, 'integrations configured');
  return integrations;
}
