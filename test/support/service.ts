/**
 * The real service for end-to-end tests and benchmarks, assembled like `countersign start`
 * (startService: API + worker + policies + integrations) on 127.0.0.1:0 in a temp directory, with
 * a sandbox callback receiver that verifies verdict signatures the way a sandbox must. Runs on
 * the shared Temporal test server (its own task queue) or, for benchmarks, an embedded dev server.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChannelDefinition, Integration, IntegrationContext } from '../../integrations/index.js';
import { generateAuditSigningKey } from '../../core/crypto/index.js';
import { createLogger, type Logger } from '../../infra/logger.js';
import { createMetrics } from '../../infra/metrics.js';
import { loadServiceConfig, startService, type RunningService } from '../../server/index.js';
import { CallbackReceiver } from './callback-receiver.js';
import { temporalAddress, temporalNamespace, uniqueTaskQueue } from './temporal.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface TestServiceOptions {
  /** `countersign.yaml`. */
  config: string;
  /** Files of ./policies to copy (default: every policy there). */
  policies?: readonly string[];
  /** More policy files: name → YAML. */
  extraPolicies?: Readonly<Record<string, string>>;
  /** The integrations to run, built from the context the service gives them; default: the registry's, configured by `env`. */
  integrations?: (ctx: IntegrationContext) => Integration[];
  /** The channel registry (default integrations/channels). */
  channels?: readonly ChannelDefinition[];
  /** What the service and its integrations read besides the COUNTERSIGN_* basics. */
  env?: Readonly<Record<string, string>>;
  /** COUNTERSIGN_PUBLIC_URL. */
  publicUrl?: string;
  /** The secret the callback receiver verifies verdicts with (the agents' callbackSecret). */
  callbackSecret: string;
  /** `embedded`: start a dev server on a free port (benchmarks). Default: the shared test server. */
  temporal?: 'shared' | 'embedded';
  taskQueue?: string;
  logger?: Logger;
  now?: () => number;
}

export interface TestService {
  service: RunningService;
  url: string;
  dir: string;
  callbacks: CallbackReceiver;
  /** `POST /v1/actions` with the agent's key and the receiver as callbackUrl. */
  submit(key: string, body: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** `GET /v1/actions/:id` with `key`. */
  get(key: string, id: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startTestService(o: TestServiceOptions): Promise<TestService> {
  const dir = await mkdtemp(path.join(tmpdir(), 'countersign-e2e-'));
  const policyDir = path.join(dir, 'policies');
  await mkdir(policyDir);
  const names = o.policies ?? (await readdir(path.join(ROOT, 'policies'))).filter((n) => n.endsWith('.yaml') && !n.endsWith('.test.yaml'));
  for (const name of names) await copyFile(path.join(ROOT, 'policies', name), path.join(policyDir, name));
  for (const [name, text] of Object.entries(o.extraPolicies ?? {})) await writeFile(path.join(policyDir, name), text);
  await writeFile(path.join(dir, 'countersign.yaml'), o.config);
  const shared = (o.temporal ?? 'shared') === 'shared';
  // security-ops asks for signed audit entries: the service signs with a key made for this run.
  const keyFile = path.join(dir, 'audit-signing-key.pem');
  await writeFile(keyFile, generateAuditSigningKey().privateKeyPem, { mode: 0o600 });
  const env: Record<string, string> = {
    COUNTERSIGN_AUDIT_SIGNING_KEY_FILE: keyFile,
    ...o.env,
    COUNTERSIGN_PORT: '0',
    COUNTERSIGN_DATA_DIR: path.join(dir, 'data'),
    COUNTERSIGN_POLICY_DIR: policyDir,
    COUNTERSIGN_CONFIG: 'countersign.yaml',
    ...(o.publicUrl ? { COUNTERSIGN_PUBLIC_URL: o.publicUrl } : {}),
    ...(shared ? { TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: temporalNamespace() } : {}),
  };
  const config = loadServiceConfig({ cwd: dir, env, ...(o.channels ? { channels: o.channels } : {}) });
  await mkdir(config.dataDir, { recursive: true });
  const logger = o.logger ?? createLogger({ level: process.env.COUNTERSIGN_TEST_LOG ?? 'silent' });
  const ctx: IntegrationContext = {
    env,
    approvers: config.approvers,
    groups: config.groups,
    logger,
    dataDir: config.dataDir,
    publicUrl: config.publicUrl ?? 'http://127.0.0.1',
  };
  const callbacks = await new CallbackReceiver(o.callbackSecret).start();
  const service = await startService({
    config,
    logger,
    taskQueue: o.taskQueue ?? uniqueTaskQueue('countersign-e2e'),
    metrics: createMetrics({ defaultMetrics: false }),
    embedded: !shared,
    temporalPort: 0,
    cwd: ROOT,
    env,
    ...(o.integrations ? { integrations: o.integrations(ctx) } : {}),
    ...(o.channels ? { channels: o.channels } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  const url = service.url!;
  const call = async (method: string, p: string, key: string, body?: unknown) => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return {
    service,
    url,
    dir,
    callbacks,
    submit: (key, body) => call('POST', '/v1/actions', key, { callbackUrl: callbacks.url, ...body }),
    get: (key, id) => call('GET', `/v1/actions/${encodeURIComponent(id)}`, key),
    async close() {
      await service.close();
      await callbacks.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
