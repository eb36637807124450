/** The API part of the service: the policy store (hot reload), the HTTP app and the integrations' routes. */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { ANY, type Agent } from '../core/index.js';
import { buildApp, createDecider, type App, type Reachability } from '../api/index.js';
import { HealthPart, type Health } from '../infra/health.js';
import type { Integration, Ports } from '../integrations/index.js';
import type { ServiceConfig } from '../infra/config/index.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import { PolicyStore } from '../infra/policies/index.js';
import { formatPolicyDiff, policyDiff } from '../triggers/index.js';
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

/** A blueprint a reload added, removed or changed, with its policy hashes before and after. */
export interface PolicyChange {
  blueprint: string;
  change: 'added' | 'removed' | 'changed';
  file: string | null;
  from: string | null;
  to: string | null;
}

/** What differs between two blueprint → version maps. */
export function policyChanges(before: ReadonlyMap<string, { hash: string; file: string }>, after: ReadonlyMap<string, { hash: string; file: string }>): PolicyChange[] {
  const out: PolicyChange[] = [];
  for (const [blueprint, now] of after) {
    const was = before.get(blueprint);
    if (!was) out.push({ blueprint, change: 'added', file: now.file, from: null, to: now.hash });
    else if (was.hash !== now.hash) out.push({ blueprint, change: 'changed', file: now.file, from: was.hash, to: now.hash });
  }
  for (const [blueprint, was] of before) if (!after.has(blueprint)) out.push({ blueprint, change: 'removed', file: was.file, from: was.hash, to: null });
  return out;
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
  // Every policy change a hot reload applies is on the audit trail: which blueprint, which file, from which version to which.
  const versions = new Map(store.list().map((p) => [p.blueprint, { hash: p.hash, file: p.file, source: p.source }]));
  const unsubscribeAudit = store.onReload(() => {
    const now = new Map(store.list().map((p) => [p.blueprint, { hash: p.hash, file: p.file, source: p.source }]));
    for (const change of policyChanges(versions, now)) {
      const diff = policyDiff(versions.get(change.blueprint)?.source ?? {}, now.get(change.blueprint)?.source ?? {});
      for (const w of diff.widening) {
        logger.warn({ blueprint: change.blueprint, path: w.path }, `policy ${change.blueprint} widened at ${w.path}: ${w.why}`);
      }
      void app.actions.refusals.record(ANY, {
        event: 'policy-changed',
        id: `policy:${change.blueprint}`,
        who: 'policy-store',
        why: `${change.blueprint} ${change.change}${change.file ? ` (${path.basename(change.file)})` : ''}: ${change.from?.slice(0, 12) ?? 'none'} → ${change.to?.slice(0, 12) ?? 'none'}`,
        data: { ...change, file: change.file ? path.basename(change.file) : null, diff: formatPolicyDiff(diff).slice(0, 200), widening: diff.widening },
      });
    }
    versions.clear();
    for (const [k, v] of now) versions.set(k, v);
  });
  shutdown.push(async () => void unsubscribeAudit());
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
