/**
 * The real service, assembled like `countersign start` (startService: API + worker + policies),
 * on 127.0.0.1:0 with a temp config/policy/data dir, against a given Temporal (the test server, or
 * an embedded dev server for the bench), plus a local callback receiver that verifies verdict
 * signatures the way a sandbox must. Shared by the Slack and Teams tests and bench/click.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Integration, IntegrationContext } from '../../../integrations/integration.js';
import { loadServiceConfig, startService, type RunningService } from '../../../server/index.js';
import { createLogger, type Logger } from '../../../infra/logger.js';
import { createMetrics } from '../../../infra/metrics.js';
import { CallbackReceiver } from '../../support/callback-receiver.js';
import { eventually } from '../../support/eventually.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const CALLBACK_SECRET = 'test-callback-secret-0123456789';
export const AGENT_KEY = 'test-agent-key-support-000001';
export const TOKENS = { alice: 'test-approver-token-alice-001', bob: 'test-approver-token-bob-00001' } as const;

export const CONFIG = `agents:
  - { id: support-bot, tenant: acme, apiKey: ${AGENT_KEY}, callbackSecret: ${CALLBACK_SECRET} }
approvers:
  - { id: alice, name: Alice, token: ${TOKENS.alice}, slack: UALICE, teams: aad-alice }
  - { id: bob, name: Bob, email: bob@example.com, token: ${TOKENS.bob}, teams: aad-bob }
  - { id: carol, name: Carol, token: test-approver-token-carol-001, slack: SLEADS, teams: aad-carol }
  - { id: dave, name: Dave, token: test-approver-token-dave-0001, slack: UDAVE, teams: aad-dave }
groups:
  support-leads: [alice, bob, carol]
  account-managers: [bob, carol]
  tier2-support: [dave]
`;

export { CallbackReceiver };

export interface Countersign {
  service: RunningService;
  url: string;
  dir: string;
  callbacks: CallbackReceiver;
  /** Submits an action as support-bot with the callback URL set. */
  submit(body: Record<string, unknown>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface CountersignOptions {
  /** Builds the integrations from the same context the service would give them. */
  integrations(ctx: IntegrationContext): Integration[];
  /** Unset: an embedded dev server on a free port (bench). */
  temporalAddress?: string;
  namespace?: string;
  taskQueue: string;
  logger?: Logger;
}

export async function startCountersign(o: CountersignOptions): Promise<Countersign> {
  const dir = await mkdtemp(path.join(tmpdir(), 'countersign-chan-'));
  const policyDir = path.join(dir, 'policies');
  await mkdir(policyDir);
  await copyFile(path.join(ROOT, 'policies', 'customer-support.yaml'), path.join(policyDir, 'customer-support.yaml'));
  await writeFile(path.join(dir, 'countersign.yaml'), CONFIG);
  const config = loadServiceConfig({
    cwd: dir,
    env: {
      COUNTERSIGN_PORT: '0',
      COUNTERSIGN_DATA_DIR: path.join(dir, 'data'),
      COUNTERSIGN_POLICY_DIR: policyDir,
      COUNTERSIGN_CONFIG: 'countersign.yaml',
      ...(o.temporalAddress ? { TEMPORAL_ADDRESS: o.temporalAddress } : {}),
      ...(o.namespace ? { TEMPORAL_NAMESPACE: o.namespace } : {}),
    },
  });
  await mkdir(config.dataDir, { recursive: true });
  const logger = o.logger ?? createLogger({ level: process.env.COUNTERSIGN_TEST_LOG ?? 'silent' });
  const ctx: IntegrationContext = { env: {}, approvers: config.approvers, groups: config.groups, logger, dataDir: config.dataDir, publicUrl: 'http://127.0.0.1' };
  const callbacks = await new CallbackReceiver(CALLBACK_SECRET).start();
  const service = await startService({
    config,
    logger,
    taskQueue: o.taskQueue,
    metrics: createMetrics({ defaultMetrics: false }),
    integrations: o.integrations(ctx),
    embedded: !o.temporalAddress,
    temporalPort: 0,
    cwd: ROOT,
  });
  const url = service.url!;
  return {
    service,
    url,
    dir,
    callbacks,
    async submit(body) {
      const res = await fetch(`${url}/v1/actions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${AGENT_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ blueprint: 'customer-support', callbackUrl: callbacks.url, ...body }),
      });
      return { status: res.status, body: await res.json() };
    },
    async close() {
      await service.close();
      await callbacks.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` until truthy, every 25 ms (cards and calls land within milliseconds here). */
export function until<T>(fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 30_000, what = 'condition'): Promise<T> {
  return eventually(fn, ms, 25, what);
}
