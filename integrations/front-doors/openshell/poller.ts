/**
 * The review loop. Every interval (and at once when a watched sandbox changes) it lists the
 * workspace's sandboxes and their pending chunks and files each new proposal (workspace +
 * sandbox + chunk id + fingerprint) as one approval; re-polls of the same proposal reuse the same
 * idempotency key and deduplicate. A chunk whose proposal or review token changed is filed again,
 * marked as changed. A chunk that leaves `pending` while its approval is open was decided at the
 * gateway (a person, auto mode, superseded, covered by an approved rule): its approval is closed
 * as decided elsewhere, and so is one the gateway says it cannot apply.
 *
 * `WatchSandbox` with `follow_status` is the wake-up where the gateway supports it; polling is the
 * fallback and the safety net. One sandbox that is gone or refuses us never stops the others;
 * only an unreachable gateway ends a cycle early, and then the next waits longer (exponential,
 * capped). A clear message is logged once per problem, and `openshell:gateway` is degraded in
 * `/readyz` while polls fail.
 */
import type { Logger } from 'pino';
import type { Decider, HealthReporter } from '../../../core/index.js';
import { callbackUrl } from './callback.js';
import { chunkRequest, fingerprint, idempotencyKey, type ChunkBinding } from './chunk.js';
import type { GatewayClient, SandboxRef } from './client.js';
import type { OpenShellConfig } from './config.js';
import { FinalErrorCode, OpenShellError, RetryableErrorCode } from './errors.js';
import type { Ledger } from './ledger.js';
import type { Submitter } from './submit.js';

/** The part `/readyz` names while polls fail. */
export const GATEWAY_PART = 'openshell:gateway';
/** The part `/readyz` names while Countersign refuses the reviewer's submissions for good. */
export const SUBMIT_PART = 'openshell:submit';

/** Longest wait between polls while the gateway keeps failing. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/** How soon after a watched sandbox changes its chunks are read. */
const WAKE_DELAY_MS = 100;

const GRPC_UNIMPLEMENTED = 12;

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
  /** `sandbox/chunkId` → the approval of its latest proposal. */
  const open = new Map<string, { id: string; binding: ChunkBinding }>();
  /** sandbox id → cancels its watch. */
  const watches = new Map<string, () => void>();
  /** Problems already logged (a sandbox that refuses us, a refused submission): once each. */
  const said = new Set<string>();
  let watchUnsupported = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let wakeAgain = false;
  let failures = 0;
  let stopped = false;

  const once = (key: string, log: () => void): void => {
    if (said.has(key)) return;
    said.add(key);
    log();
  };

  async function closeElsewhere(id: string, binding: ChunkBinding, why: string): Promise<void> {
    const state = await deps.decider.state(id);
    if (!state || state.status !== 'pending') return;
    if (!deps.ledger.get(id)) deps.ledger.record({ id, sandbox: binding.sandbox, chunkId: binding.chunkId, outcome: 'decided_elsewhere', decidedBy: 'system', reason: why, at: Date.now() });
    await deps.decider.closeElsewhere(id, { reason: why, via: 'openshell' });
    logger.info({ actionId: id }, `openshell: approval ${id} closed: ${why}`);
  }

  /** Pending chunks of one sandbox, or null when it must be skipped this cycle (gone, or refusing us). */
  async function pendingOf(sandbox: SandboxRef) {
    try {
      return await deps.gateway.getDraft(sandbox.name, 'pending');
    } catch (error) {
      const e = error as OpenShellError;
      if (e.code === RetryableErrorCode.Unreachable) throw error;
      if (e.code !== FinalErrorCode.NotFound) once(`sandbox:${sandbox.name}:${e.code}`, () => logger.warn({ sandbox: sandbox.name, code: e.code }, `openshell: skipping sandbox ${sandbox.name}: ${e.message}`));
      return null;
    }
  }

  async function file(sandbox: string, chunk: Awaited<ReturnType<GatewayClient['getDraft']>>[number], live: Set<string>): Promise<void> {
    const binding: ChunkBinding = { workspace: config.workspace, sandbox, chunkId: chunk.id, fingerprint: fingerprint(chunk) };
    const key = idempotencyKey(binding);
    const where = `${sandbox}/${chunk.id}`;
    live.add(where);
    if (filed.has(key)) return;
    const previous = open.get(where);
    const reviewedBefore = previous && previous.binding.fingerprint !== binding.fingerprint ? previous.id : undefined;
    const body = {
      blueprint: config.blueprint,
      ...chunkRequest(chunk, sandbox, config.workspace, reviewedBefore),
      idempotencyKey: key,
      callbackUrl: callbackUrl(config.callbackBase, binding),
    };
    let res;
    try {
      res = await deps.submit(body);
    } catch (error) {
      if ((error as OpenShellError).code !== FinalErrorCode.SubmitRefused) throw error;
      // Refused for good (the reviewer agent is not bound to the blueprint, …): the chunk stays pending at the gateway.
      filed.add(key);
      deps.health?.degrade(SUBMIT_PART, (error as Error).message);
      once(`submit:${(error as Error).message}`, () => logger.error({ sandbox, chunkId: chunk.id }, `openshell: ${(error as Error).message}`));
      return;
    }
    deps.health?.restore(SUBMIT_PART);
    filed.add(key);
    open.set(where, { id: res.id, binding });
    if (res.created) logger.info({ actionId: res.id, sandbox, chunkId: chunk.id, status: res.status }, `openshell: filed ${where} for review (${res.status})${reviewedBefore ? `, changed since ${reviewedBefore}` : ''}`);
    if (previous && previous.id !== res.id) await closeElsewhere(previous.id, previous.binding, `the proposal or its review token changed at the gateway; it is under review again as ${res.id}`);
    if (chunk.application_error) await closeElsewhere(res.id, binding, `the gateway cannot apply this proposal: ${chunk.application_error}`);
  }

  async function tick(): Promise<void> {
    const live = new Set<string>();
    const sandboxes = await deps.gateway.listSandboxes();
    follow(sandboxes);
    for (const sandbox of sandboxes) {
      const chunks = await pendingOf(sandbox);
      if (chunks === null) {
        // Not read this cycle: keep its open approvals as they are.
        for (const where of open.keys()) if (where.startsWith(`${sandbox.name}/`)) live.add(where);
        continue;
      }
      for (const chunk of chunks) await file(sandbox.name, chunk, live);
    }
    for (const [where, o] of open) {
      if (live.has(where)) continue;
      open.delete(where);
      const chunk = (await deps.gateway.getDraft(o.binding.sandbox, '').catch(() => [])).find((c) => c.id === o.binding.chunkId);
      const status = chunk ? `${chunk.status}${chunk.rejection_reason ? ` (${chunk.rejection_reason})` : ''}` : 'removed';
      await closeElsewhere(o.id, o.binding, `the chunk was ${status} at the gateway`);
    }
  }

  /** Watches every listed sandbox (while the gateway supports it) and drops watches of the rest. */
  function follow(sandboxes: readonly SandboxRef[]): void {
    const ids = new Set(sandboxes.map((s) => s.id).filter(Boolean));
    for (const [id, cancel] of watches) {
      if (ids.has(id)) continue;
      cancel();
      watches.delete(id);
    }
    if (watchUnsupported || stopped) return;
    for (const id of ids) {
      if (watches.has(id)) continue;
      const cancel = deps.gateway.watch(id, wake, (error) => {
        watches.delete(id);
        if ((error as OpenShellError | null)?.grpcCode === GRPC_UNIMPLEMENTED) {
          watchUnsupported = true;
          logger.info(`openshell: gateway ${config.gateway} does not offer WatchSandbox; polling every ${config.pollIntervalMs / 1000} s`);
        }
      });
      watches.set(id, cancel);
    }
  }

  /** A watched sandbox changed: read its chunks soon, not at the next interval. */
  function wake(): void {
    if (stopped) return;
    if (running) {
      wakeAgain = true;
      return;
    }
    if (timer) clearTimeout(timer);
    schedule(WAKE_DELAY_MS);
  }

  function schedule(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = tick()
        .then(() => {
          if (failures > 0) logger.info(`openshell: gateway ${config.gateway} reachable again`);
          failures = 0;
          deps.health?.restore(GATEWAY_PART);
        })
        .catch((error: unknown) => {
          failures++;
          const e = error as { code?: string; message?: string };
          if (failures === 1 || failures % 10 === 0) logger.warn({ code: e.code, failures }, `openshell: poll failed: ${e.message ?? String(error)}`);
          deps.health?.degrade(GATEWAY_PART, `polling ${config.gateway} failed ${failures} time(s): ${e.message ?? String(error)}`);
        })
        .finally(() => {
          running = null;
          const next = wakeAgain && failures === 0 ? WAKE_DELAY_MS : Math.min(config.pollIntervalMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, config.pollIntervalMs));
          wakeAgain = false;
          schedule(next);
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
      for (const cancel of watches.values()) cancel();
      watches.clear();
      await running;
    },
  };
}
