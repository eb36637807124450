/** The API part of the service: the policy store (hot reload), the HTTP app and the integrations' routes. */
import type { Client } from '@temporalio/client';
import { ANY, type Agent } from '../core/index.js';
import { buildApp, createDecider, type App, type Reachability } from '../api/index.js';
import { HealthPart, type Health } from '../infra/health.js';
import type { Integration, Ports } from '../integrations/index.js';
import type { ServiceConfig } from '../infra/config/index.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import { PolicyStore } from '../infra/policies/index.js';
import type { Shutdown } from './shutdown.js';

export interface ServiceApiOptions {
  config: ServiceConfig;
  logger: Logger;
  client: Client;
  taskQueue: string;
  metrics: Metrics;
  integrations: readonly Integration[];
  /** Channel names policies may route to. */
  channels: readonly string[];
  now?: (() => number) | undefined;
  health: Health;
  reachability: Reachability;
  /** The worker's audit log in this process (the console's audit view), or null for an API-only process. */
  auditFile: string | null;
}

/** Each agent binding (`agents[].blueprints`) that names no loaded blueprint; `*` is never one. */
export function unloadedBindings(agents: readonly Agent[], loaded: ReadonlySet<string>): { agent: string; blueprint: string }[] {
  return agents.flatMap((a) => a.blueprints.filter((b) => b !== ANY && !loaded.has(b)).map((blueprint) => ({ agent: a.id, blueprint })));
}

/**
 * Loads policies, builds the app with the integrations' inbound routes, listens, then starts the
 * integrations (they may call the API). Shutdown closes HTTP and the store.
 */
export async function startServiceApi(options: ServiceApiOptions, shutdown: Shutdown): Promise<{ policies: PolicyStore; app: App; url: string }> {
  const { config, logger, client, metrics, integrations } = options;
  const store = new PolicyStore({ dir: config.policyDir, groups: new Set(Object.keys(config.groups)), channels: options.channels, logger });
  await store.start();
  shutdown.push(async () => store.close());
  if (store.list().length === 0) {
    logger.warn({ policyDir: config.policyDir }, 'no policy loaded: every submission answers 400 until one loads (/readyz reports 503)');
  }
  const policiesHealth = (): void => {
    if (store.list().length === 0) options.health.degrade(HealthPart.Policies, `no policy loaded from ${config.policyDir}`);
    else options.health.restore(HealthPart.Policies);
  };
  policiesHealth();
  const warned = new Set<string>();
  const warnUnbound = (): void => {
    for (const { agent, blueprint } of unloadedBindings(config.agents, new Set(store.list().map((p) => p.blueprint)))) {
      const message = `agent ${agent} is bound to blueprint ${blueprint}, which is not loaded: its submissions there answer 400 until a policy defines it`;
      if (!warned.has(message)) logger.warn({ agent, blueprint, policyDir: config.policyDir }, message);
      warned.add(message);
    }
  };
  warnUnbound();
  const unsubscribe = store.onReload(() => {
    warnUnbound();
    policiesHealth();
  });
  shutdown.push(async () => void unsubscribe());
  const app = buildApp({
    client,
    taskQueue: options.taskQueue,
    policies: store,
    agents: config.agents,
    approvers: config.approvers,
    admins: config.admins,
    groups: config.groups,
    metrics,
    logger,
    ...(options.now ? { now: options.now } : {}),
    health: options.health,
    reachability: options.reachability,
    console: { sessionSecret: config.sessionSecret, publicUrl: config.publicUrl, oidc: config.oidc, auditFile: options.auditFile },
  });
  if (!config.sessionSecret && config.temporalAddress) {
    logger.warn(
      'COUNTERSIGN_SESSION_SECRET is not set: console sessions are signed with a key of this process, so they end when it restarts and other API processes do not accept them',
    );
  }
  const ports: Ports = { decider: createDecider(client), submit: app.submit, agents: app.agents, health: options.health };
  for (const i of integrations) await i.routes?.(app.fastify, ports);
  const actions = app.actions;
  metrics.setPendingCounter(() => actions.countPending());
  const url = await app.fastify.listen({ host: config.host, port: config.port });
  shutdown.push(async () => {
    logger.info('closing HTTP API');
    await app.fastify.close();
  });
  logger.info({ url, policies: store.list().map((p) => p.blueprint) }, `Countersign API listening on ${url}`);
  for (const i of integrations) await i.start?.(ports);
  return { policies: store, app, url };
}
