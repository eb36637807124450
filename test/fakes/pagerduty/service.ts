/**
 * The real service (`startService`: API + worker on the shared Temporal test server, private task
 * queue) with chosen integrations, a temp policy/config/data dir, and a local sandbox callback
 * receiver that verifies Countersign's signature. Used by the PagerDuty and Zendesk end-to-end tests.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Integration, IntegrationContext } from '../../../integrations/integration.js';
import { loadServiceConfig, startService, type RunningService } from '../../../server/index.js';
import type { CallbackPayload } from '../../../core/index.js';
import { captureLogger } from '../../api/harness.js';
import { temporalAddress, temporalNamespace, uniqueTaskQueue } from '../../support/temporal.js';
import { CallbackReceiver } from '../../support/callback-receiver.js';
import { BLUEPRINT_GROUPS_YAML } from '../../support/groups.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const AGENT_KEYS = { infra: 'test-agent-key-infra-0000001', support: 'test-agent-key-support-000001' } as const;
export const CALLBACK_SECRET = 'test-callback-secret-0123456789';
export const PUBLIC_URL = 'https://countersign.example.test';

const CONFIG = `agents:
  - { id: infra-bot, tenant: acme, apiKey: ${AGENT_KEYS.infra}, callbackSecret: ${CALLBACK_SECRET} }
  - { id: support-bot, tenant: acme, apiKey: ${AGENT_KEYS.support}, callbackSecret: ${CALLBACK_SECRET} }
approvers:
  - { id: alice, name: Alice, email: alice@example.com, pagerduty: PALICE1, token: test-approver-token-alice-001 }
  - { id: bob, name: Bob, email: bob@example.com, token: test-approver-token-bob-00001 }
  - { id: carol, name: Carol, email: carol@example.com, zendesk: carol.agent@example.com, token: test-approver-token-carol-001 }
  - { id: dave, name: Dave, email: dave@example.com, token: test-approver-token-dave-0001 }
${BLUEPRINT_GROUPS_YAML}`;

export interface IntegrationService {
  service: RunningService;
  url: string;
  callbackUrl: string;
  /** Verified callback bodies received by the sandbox receiver. */
  readonly callbacks: CallbackPayload[];
  log: ReturnType<typeof captureLogger>;
  submit(key: string, body: Record<string, unknown>): Promise<any>;
  get(key: string, id: string): Promise<any>;
  close(): Promise<void>;
}

export async function startIntegrationService(build: (ctx: IntegrationContext) => Integration[], now?: () => number): Promise<IntegrationService> {
  const dir = await mkdtemp(path.join(tmpdir(), 'countersign-integration-'));
  const policyDir = path.join(dir, 'policies');
  await mkdir(policyDir);
  for (const name of await readdir(path.join(ROOT, 'policies'))) {
    if (name.endsWith('.yaml') && !name.endsWith('.test.yaml')) await copyFile(path.join(ROOT, 'policies', name), path.join(policyDir, name));
  }
  await writeFile(path.join(dir, 'countersign.yaml'), CONFIG);
  const env = {
    COUNTERSIGN_PORT: '0',
    COUNTERSIGN_DATA_DIR: path.join(dir, 'data'),
    COUNTERSIGN_POLICY_DIR: policyDir,
    COUNTERSIGN_CONFIG: 'countersign.yaml',
    COUNTERSIGN_PUBLIC_URL: PUBLIC_URL,
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_NAMESPACE: temporalNamespace(),
  };
  const config = loadServiceConfig({ cwd: dir, env });
  const log = captureLogger('info');
  const ctx: IntegrationContext = { env, approvers: config.approvers, groups: config.groups, logger: log.logger, dataDir: config.dataDir, publicUrl: PUBLIC_URL };

  const receiver = await new CallbackReceiver(CALLBACK_SECRET).start();
  const callbackUrl = receiver.url;

  const service = await startService({
    config,
    logger: log.logger,
    embedded: false,
    taskQueue: uniqueTaskQueue('countersign-integration'),
    integrations: build(ctx),
    env,
    ...(now ? { now } : {}),
  });
  const url = service.url!;
  const call = async (method: string, p: string, key: string, body?: unknown) => {
    const res = await fetch(`${url}${p}`, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, ...((await res.json()) as Record<string, unknown>) } as any;
  };
  return {
    service,
    url,
    callbackUrl,
    get callbacks() {
      return receiver.verdicts.map((v) => v.payload);
    },
    log,
    submit: (key, body) => call('POST', '/v1/actions', key, { callbackUrl, ...body }),
    get: (key, id) => call('GET', `/v1/actions/${encodeURIComponent(id)}`, key),
    async close() {
      await service.close();
      await receiver.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
