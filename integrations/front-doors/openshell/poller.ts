/**
 * The poll loop. The gateway has no push, so every interval it lists sandboxes and their pending
 * chunks and files each new proposal (workspace + sandbox + chunk id + fingerprint) as one
 * approval; re-polls of the same proposal reuse the same idempotency key and deduplicate. A chunk
 * that leaves `pending` while its approval is still open was decided at the gateway (by a person,
 * auto mode, a superseding chunk): its approval is closed as decided elsewhere. Errors never
 * escape: the next poll waits longer (exponential, capped) and a clear message is logged.
 */
import type { Logger } from 'pino';
import type { Decider, HealthReporter } from '../../../core/index.js';
import { callbackUrl } from './callback.js';
import { chunkRequest, fingerprint, idempotencyKey, type ChunkBinding } from './chunk.js';
import type { GatewayClient } from './client.js';
import type { OpenShellConfig } from './config.js';
import type { Ledger } from './ledger.js';
import type { Submitter } from './submit.js';

/** The part `/readyz` names while polls fail. */
export const GATEWAY_PART = 'openshell:gateway';

/** Longest wait between polls while the gateway keeps failing. */
export const MAX_BACKOFF_MS = 5 * 60_000;

export interface PollerDeps {
  config: OpenShellConfig;
  gateway: GatewayClient;
  submit: Submitter;
  decider: Decider;
  ledger: Ledger;
  logger: Logger;
  /** Told `openshell:gateway` is degraded while polls fail, and well again. */
  health?: HealthReporter;
}

export function createPoller(deps: PollerDeps) {
  const { config, logger } = deps;
  const filed = new Set<string>();
  /** `sandbox/chunkId` → the open approval of its current proposal. */
  const open = new Map<string, { id: string; binding: ChunkBinding }>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let failures = 0;
  let stopped = false;

  async function closeElsewhere(id: string, binding: ChunkBinding, why: string): Promise<void> {
    const state = await deps.decider.state(id);
    if (!state || state.status !== 'pending') return;
    if (!deps.ledger.get(id)) deps.ledger.record({ id, sandbox: binding.sandbox, chunkId: binding.chunkId, outcome: 'decided_elsewhere', decidedBy: 'system', reason: why, at: Date.now() });
    await deps.decider.closeElsewhere(id, { reason: why, via: 'openshell' });
    logger.info({ actionId: id }, `openshell: approval ${id} closed: ${why}`);
  }

  async function tick(): Promise<void> {
    const live = new Set<string>();
    for (const sandbox of await deps.gateway.listSandboxes()) {
      for (const chunk of await deps.gateway.getDraft(sandbox, 'pending')) {
        const binding: ChunkBinding = { workspace: config.workspace, sandbox, chunkId: chunk.id, fingerprint: fingerprint(chunk) };
        const key = idempotencyKey(binding);
        const where = `${sandbox}/${chunk.id}`;
        live.add(where);
        if (filed.has(key)) continue;
        const body = { blueprint: config.blueprint, ...chunkRequest(chunk, sandbox, config.workspace), idempotencyKey: key, callbackUrl: callbackUrl(config.callbackBase, binding) };
        const res = await deps.submit(body);
        filed.add(key);
        const previous = open.get(where);
        open.set(where, { id: res.id, binding });
        if (res.created) logger.info({ actionId: res.id, sandbox, chunkId: chunk.id, status: res.status }, `openshell: filed ${where} for review (${res.status})`);
        if (previous && previous.id !== res.id) await closeElsewhere(previous.id, previous.binding, `the proposal changed at the gateway; it is under review again as ${res.id}`);
      }
    }
    for (const [where, o] of open) {
      if (live.has(where)) continue;
      open.delete(where);
      const chunk = (await deps.gateway.getDraft(o.binding.sandbox, '').catch(() => [])).find((c) => c.id === o.binding.chunkId);
      const status = chunk ? `${chunk.status}${chunk.rejection_reason ? ` (${chunk.rejection_reason})` : ''}` : 'removed';
      await closeElsewhere(o.id, o.binding, `the chunk was ${status} at the gateway`);
    }
  }

  function schedule(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .then(() => {
          if (failures > 0) logger.info(`openshell: gateway ${config.gateway} reachable again`);
          failures = 0;
          deps.health?.restore(GATEWAY_PART);
        })
        .catch((error: unknown) => {
          failures++;
          const e = error as { code?: string; message?: string };
          logger.warn({ code: e.code, failures }, `openshell: poll failed: ${e.message ?? String(error)}`);
          deps.health?.degrade(GATEWAY_PART, `polling ${config.gateway} failed ${failures} time(s): ${e.message ?? String(error)}`);
        })
        .finally(() => {
          running = null;
          schedule(Math.min(config.pollIntervalMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, config.pollIntervalMs)));
        });
    }, ms);
  }

  return {
    start(): void {
      stopped = false;
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
