/**
 * A real API on 127.0.0.1:0 backed by the shared Temporal dev server and a real worker on a
 * private task queue, with a temp policy dir, config file and data dir. Used by test/api and
 * test/client.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { auditSigner, generateAuditSigningKey } from '../../core/crypto/index.js';
import { buildApp, type App, type AppDeps } from '../../api/index.js';
import { channelNames, createChannelRegistry } from '../../integrations/index.js';
import { loadServiceConfig } from '../../server/index.js';
import { type ServiceConfig } from '../../infra/config/index.js';
import { createLogger, type Logger } from '../../infra/logger.js';
import { activityMetrics, createMetrics, type Metrics } from '../../infra/metrics.js';
import { PolicyStore } from '../../infra/policies/index.js';
import { resolveWorkflowsPath } from '../../infra/temporal/index.js';
import { connectClient, createTestWorker, uniqueTaskQueue, type TestWorker } from '../support/temporal.js';
import { BLUEPRINT_GROUPS_YAML } from '../support/groups.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const KEYS = {
  support: 'test-agent-key-support-000001',
  support2: 'test-agent-key-support-000002',
  soc: 'test-agent-key-soc-0000000001',
  reader: 'test-agent-key-reader-000001',
  infra: 'test-agent-key-infra-0000001',
  other: 'test-agent-key-other-tenant01',
  mcp: 'test-agent-key-mcp-00000000001',
  alice: 'test-approver-token-alice-001',
  bob: 'test-approver-token-bob-00001',
  carol: 'test-approver-token-carol-001',
  dave: 'test-approver-token-dave-0001',
  eve: 'test-approver-token-eve-00001',
  gina: 'test-approver-token-gina-0001',
  audrey: 'test-approver-token-audrey-01',
  admin: 'test-admin-token-root-0000000001',
} as const;

/**
 * Agents of tenant acme bound to one blueprint each (support-bot2 is a second support agent, and
 * reader-bot reads every acme action), and other-bot of tenant globex bound to every blueprint.
 * alice…eve decide for acme; gina, in the same support-leads group, decides for globex only;
 * audrey audits acme and decides nothing.
 */
export const TEST_CONFIG = `agents:
  - id: support-bot
    tenant: acme
    blueprints: [customer-support, trust-escalation]
    apiKey: ${KEYS.support}
  - { id: support-bot2, tenant: acme, blueprints: [customer-support], apiKey: ${KEYS.support2} }
  - { id: soc-bot, tenant: acme, blueprints: [security-ops], apiKey: ${KEYS.soc} }
  - { id: reader-bot, tenant: acme, blueprints: [customer-support], role: tenant-reader, apiKey: ${KEYS.reader} }
  - id: infra-bot
    tenant: acme
    blueprints: [infra-management]
    apiKey: \${INFRA_KEY:-${KEYS.infra}}
  - { id: mcp-bot, tenant: acme, blueprints: [mcp-filesystem], apiKey: ${KEYS.mcp} }
  - id: other-bot
    tenant: globex
    blueprints: ["*"]
    apiKey: ${KEYS.other}
approvers:
  - { id: alice, name: Alice, email: alice@example.com, tenants: [acme], token: ${KEYS.alice} }
  - { id: bob, name: Bob, email: bob@example.com, tenants: [acme], token: ${KEYS.bob} }
  - { id: carol, name: Carol, tenants: [acme], token: ${KEYS.carol} }
  - { id: dave, name: Dave, tenants: [acme], token: ${KEYS.dave} }
  - { id: eve, name: Eve, tenants: [acme], token: ${KEYS.eve} }
  - { id: gina, name: Gina, tenants: [globex], token: ${KEYS.gina} }
  - { id: audrey, name: Audrey, tenants: [], auditorOf: [acme], token: ${KEYS.audrey} }
admins:
  - { id: root, token: ${KEYS.admin} }
${BLUEPRINT_GROUPS_YAML.replace('support-leads: [alice, bob]', 'support-leads: [alice, bob, gina]')}`;

/**
 * A test-only blueprint of web approvals by tier2-support (carol, dave): a large wire needs both;
 * a small one escalates, so platform-lead (bob) may decide too after `escalateAfter`.
 */
export const ESCALATION_POLICY = `blueprint: trust-escalation
security:
  approvalWorkflows:
    - trigger: "wire.amount > 1000"
      approver: tier2-support
      channel: web
      quorum: 2
    - trigger: "wire.amount > 0"
      approver: tier2-support
      channel: web
      sla: 1h
      escalateTo: platform-lead
      escalateAfter: 3s
`;

/** Captures log lines as parsed JSON. */
export function captureLogger(level = 'info'): { logger: Logger; lines: Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      raw.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ level, destination: stream });
  return {
    logger,
    get lines() {
      return raw.flatMap((r) => r.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    text: () => raw.join(''),
  };
}

export interface Harness {
  url: string;
  taskQueue: string;
  dir: string;
  config: ServiceConfig;
  client: Client;
  app: App;
  policies: PolicyStore;
  metrics: Metrics;
  worker: TestWorker;
  log: ReturnType<typeof captureLogger>;
  /** Pins the policy clock (epoch ms); null = real time. */
  setClock(ms: number | null): void;
  call(method: string, urlPath: string, options?: CallOptions): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent verbatim instead of JSON.stringify(body). */
  raw?: string;
  contentType?: string | null;
}

export interface HarnessOptions {
  /** More policy files: name → YAML. */
  extraPolicies?: Readonly<Record<string, string>>;
  /** The console's options (OpenID Connect, session secret); default: token sign-in, and the worker's audit log. */
  console?: AppDeps['console'] | ((config: ServiceConfig) => AppDeps['console']);
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'countersign-api-'));
  const policyDir = path.join(dir, 'policies');
  await mkdir(policyDir);
  for (const name of await readdir(path.join(ROOT, 'policies'))) {
    if (name.endsWith('.yaml') && !name.endsWith('.test.yaml')) await copyFile(path.join(ROOT, 'policies', name), path.join(policyDir, name));
  }
  await writeFile(path.join(policyDir, 'trust-escalation.yaml'), ESCALATION_POLICY);
  for (const [name, text] of Object.entries(options.extraPolicies ?? {})) await writeFile(path.join(policyDir, name), text);
  await writeFile(path.join(dir, 'countersign.yaml'), TEST_CONFIG);
  const config = loadServiceConfig({
    cwd: dir,
    env: { COUNTERSIGN_PORT: '0', COUNTERSIGN_DATA_DIR: path.join(dir, 'data'), COUNTERSIGN_POLICY_DIR: policyDir, COUNTERSIGN_CONFIG: 'countersign.yaml' },
  });
  await mkdir(config.dataDir, { recursive: true });
  const log = captureLogger('info');
  const logger = log.logger;
  // security-ops asks for signed audit entries: the harness's worker signs with a key of its own.
  const signingKey = generateAuditSigningKey();
  await writeFile(path.join(config.dataDir, 'audit-signing-key.pub.pem'), signingKey.publicKeyPem);
  const metrics = createMetrics({ defaultMetrics: false });
  const taskQueue = uniqueTaskQueue('countersign-api');
  const worker = await createTestWorker({
    taskQueue,
    workflowsPath: resolveWorkflowsPath(),
    activities: createActivities({
      dataDir: config.dataDir,
      channels: createChannelRegistry(),
      callbackSecretFor: () => undefined,
      logger,
      metrics: activityMetrics(metrics),
      auditSigner: auditSigner(signingKey.privateKeyPem),
    }) as unknown as WorkerOptions['activities'],
  });
  worker.start();
  const { client, close: closeClient } = await connectClient();
  const policies = new PolicyStore({ dir: policyDir, groups: new Set(Object.keys(config.groups)), channels: channelNames(), logger });
  await policies.load();
  let clock: number | null = null;
  const app = buildApp({
    client,
    taskQueue,
    policies,
    agents: config.agents,
    approvers: config.approvers,
    admins: config.admins,
    groups: config.groups,
    metrics,
    logger,
    now: () => clock ?? Date.now(),
    console:
      typeof options.console === 'function'
        ? options.console(config)
        : options.console === false
          ? false
          : { auditFile: path.join(config.dataDir, 'audit.jsonl'), ...options.console },
  });
  metrics.setPendingCounter(() => app.actions.countPending());
  const url = await app.fastify.listen({ host: '127.0.0.1', port: 0 });

  const call: Harness['call'] = async (method, urlPath, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
    const res = await fetch(`${url}${urlPath}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics)
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };

  return {
    url,
    taskQueue,
    dir,
    config,
    client,
    app,
    policies,
    metrics,
    worker,
    log,
    setClock: (ms) => {
      clock = ms;
    },
    call,
    async close() {
      await app.fastify.close();
      policies.close();
      await worker.close();
      await closeClient();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export { eventually } from '../support/eventually.js';
