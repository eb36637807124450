/** The integrations this process runs: approver channels and front doors. */
import { CHANNELS, FRONT_DOORS, loadIntegrations, type Integration } from '../integrations/index.js';
import type { Shutdown } from './shutdown.js';
import type { ServiceOptions } from './types.js';

/** `options.integrations`, or every front door and channel whose environment variables are set; closed on shutdown. */
export async function serviceIntegrations(options: ServiceOptions, shutdown: Shutdown): Promise<Integration[]> {
  const { config, logger } = options;
  const integrations =
    options.integrations ??
    (await loadIntegrations({
      env: options.env ?? process.env,
      approvers: config.approvers,
      groups: config.groups,
      logger: logger.child({ component: 'integrations' }),
      dataDir: config.dataDir,
      publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
    }, [...FRONT_DOORS, ...(options.channels ?? CHANNELS)]));
  shutdown.push(async () => {
    for (const i of integrations) await i.close?.();
  });
  if (integrations.length > 0) logger.info({ integrations: integrations.map((i) => i.name) }, 'integrations configured');
  return integrations;
}
