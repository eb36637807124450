/**
 * The OpenShell front door: Countersign as the reviewer of an OpenShell gateway's draft policy
 * chunks. `routes()` mounts the signed verdict callback, `start()` runs the poller (after the API
 * listens), which files each chunk through the service's submit port; `close()` stops it. No
 * approver channel: cards are served by the channel the policy names.
 */
import type { Integration, IntegrationContext } from '../../integration.js';
import { mountCallback } from './callback.js';
import { createGatewayClient, type GatewayClient } from './client.js';
import { readConfig, type OpenShellConfig } from './config.js';
import { createExecutor } from './executor.js';
import { Ledger } from './ledger.js';
import { createPoller } from './poller.js';
import { portSubmitter } from './submit.js';

export const OPENSHELL_INTEGRATION = 'openshell';

export interface OpenShellOptions {
  /** Replaces the gateway client (tests). */
  gateway?: GatewayClient;
}

/** Builds the integration from `OPENSHELL_*`; null when `OPENSHELL_GATEWAY` is unset. */
export function createOpenShellIntegration(ctx: IntegrationContext, options: OpenShellOptions = {}): Integration | null {
  const config = readConfig(ctx.env, ctx.publicUrl);
  if (!config) return null;
  return buildIntegration(config, ctx, options);
}

function buildIntegration(config: OpenShellConfig, ctx: IntegrationContext, options: OpenShellOptions): Integration {
  const logger = ctx.logger.child({ integration: OPENSHELL_INTEGRATION });
  const gateway = options.gateway ?? createGatewayClient(config);
  const ledger = new Ledger(ctx.dataDir);
  const execute = createExecutor({ gateway, ledger, logger });
  let poller: ReturnType<typeof createPoller> | null = null;
  return {
    name: OPENSHELL_INTEGRATION,
    async routes(fastify) {
      await mountCallback(fastify, { secret: config.callbackSecret, execute, logger });
    },
    start({ decider, submit, health }) {
      poller = createPoller({ config, gateway, submit: portSubmitter(submit, config.apiKey), decider, ledger, logger, health });
      poller.start();
      logger.info({ gateway: config.gateway, workspace: config.workspace, blueprint: config.blueprint }, `openshell: reviewing draft policy chunks of ${config.gateway}`);
    },
    async close() {
      await poller?.stop();
      gateway.close();
    },
  };
}
