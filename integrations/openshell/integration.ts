/**
 * The OpenShell integration: Countersign as the reviewer of an OpenShell gateway's draft policy
 * chunks. `routes()` mounts the signed verdict callback, `start()` runs the poller (after the API
 * listens), `close()` stops it. No approver channel: cards are served by the built-in `web`
 * channel (or whichever channel the policy names).
 */
import type { FastifyInstance } from 'fastify';
import type { Integration, IntegrationContext } from '../types.js';
import { mountCallback } from './callback.js';
import { createGatewayClient, type GatewayClient } from './client.js';
import { readConfig, type OpenShellConfig } from './config.js';
import { createExecutor } from './executor.js';
import { Ledger } from './ledger.js';
import { createPoller } from './poller.js';
import { injectSubmitter, type Submitter } from './submit.js';

export const OPENSHELL_INTEGRATION = 'openshell';

export interface OpenShellOptions {
  /** Replaces the in-process submitter (e.g. `httpSubmitter` against a remote API). */
  submitter?: Submitter;
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
  let app: FastifyInstance | null = null;
  let poller: ReturnType<typeof createPoller> | null = null;
  return {
    name: OPENSHELL_INTEGRATION,
    routes(fastify) {
      app = fastify;
      mountCallback(fastify, { secret: config.callbackSecret, execute, logger });
    },
    start(decider) {
      const submit = options.submitter ?? (app ? injectSubmitter(app, config.apiKey) : null);
      if (!submit) throw new Error('openshell: no API to submit through: run it where the HTTP API runs');
      poller = createPoller({ config, gateway, submit, decider, ledger, logger });
      poller.start();
      logger.info({ gateway: config.gateway, workspace: config.workspace, blueprint: config.blueprint }, `openshell: reviewing draft policy chunks of ${config.gateway}`);
    },
    async close() {
      await poller?.stop();
      gateway.close();
    },
  };
}
