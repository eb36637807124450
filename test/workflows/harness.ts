/**
 * Shared pieces of the approval workflow tests: hand-built inputs, a real sandbox callback
 * receiver on 127.0.0.1 that verifies signatures, activities on a temp data dir, and a worker on a
 * unique task queue of the shared Temporal dev server.
 */
import { text } from 'node:stream/consumers';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, Runtime, type WorkerOptions } from '@temporalio/worker';
import { pino } from 'pino';
import { auditSigner, generateAuditSigningKey } from '../../core/crypto/index.js';
import { createActivities, type ApprovalActivities } from '../../activities/index.js';
import { verifyCallbackSignature } from '../../core/crypto/index.js';
import { createChannelRegistry } from '../../integrations/index.js';
import { type ApprovalChannel } from '../../integrations/kit/channel.js';
import { resolveWorkflowsPath } from '../../infra/temporal/bundle.js';
import {
  APPROVAL_WORKFLOW,
  stateQuery,
  type ApprovalInput,
  type ApprovalState,
  type CallbackPayload,
  type Decision,
} from '../../core/index.js';
import { createTestWorker, type TestWorker } from '../support/temporal.js';

export const SECRET = 'test-callback-secret-0123456789';
export const AGENT = 'agent-1';
/** An agent with no callback secret: delivery must fail closed. */
export const AGENT_WITHOUT_SECRET = 'agent-nosecret';

export function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    verdict: 'require_approval',
    rule: { path: 'security.approvalWorkflows[0]', line: 12 },
    reason: 'refunds over 500 need finance approval',
    explanation: ['step 4: approvalWorkflows[0] matched'],
    approvers: ['finance'],
    channel: 'web',
    quorum: 1,
    slaSeconds: 30,
    remindEverySeconds: null,
    escalateTo: null,
    escalateAfterSeconds: null,
    severity: 'warning',
    ...overrides,
  };
}

export function approvalInput(overrides: Partial<ApprovalInput> & { decision?: Decision } = {}): ApprovalInput {
  const id = overrides.id ?? `test-${randomUUID()}`;
  return {
    id,
    request: { action: 'refund', resource: 'orders', params: { amount: 900, email: 'pat@example.com' }, agent: AGENT, tenant: 'acme' },
    requestHash: 'a'.repeat(64),
    blueprint: 'finance-refunds',
    policyHash: 'b'.repeat(64),
    decision: decision(),
    eligible: ['alice', 'bob', 'carol'],
    escalation: [],
    piiFields: ['email'],
    submittedAt: Date.now(),
    ...overrides,
  };
}

export interface Received {
  key: string;
  body: CallbackPayload;
  verified: boolean;
  answered: number;
}

/** A sandbox runtime's callback receiver. */
export class Sandbox {
  readonly received: Received[] = [];
  private readonly failures = new Map<string, number>();
  private server!: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer(async (req, res) => {
      const raw = await text(req);
      const verified = verifyCallbackSignature(
        SECRET,
        req.headers['countersign-timestamp'] as string | undefined,
        raw,
        req.headers['countersign-signature'] as string | undefined,
        Date.now(),
        300,
      ).ok;
      const key = String(req.headers['idempotency-key'] ?? '');
      const left = this.failures.get(key) ?? 0;
      const answered = !verified ? 401 : left > 0 ? 503 : 200;
      if (left > 0) this.failures.set(key, left - 1);
      this.received.push({ key, body: JSON.parse(raw) as CallbackPayload, verified, answered });
      res.writeHead(answered).end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/verdicts`;
    return this;
  }

  /** The receiver answers 503 to the next `n` deliveries of `id`. */
  failNext(id: string, n: number): void {
    this.failures.set(id, n);
  }

  /** Deliveries of `id` the receiver accepted (2xx). */
  accepted(id: string): Received[] {
    return this.received.filter((r) => r.key === id && r.answered === 200);
  }

  attempts(id: string): Received[] {
    return this.received.filter((r) => r.key === id);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A channel that always fails, to prove the fallback to web. */
export function brokenChannel(name: string): ApprovalChannel {
  return {
    name,
    post: async () => {
      throw new Error(`${name} API is down`);
    },
    update: async () => {
      throw new Error(`${name} API is down`);
    },
  };
}

export async function makeActivities(dataDir?: string): Promise<{ activities: ApprovalActivities; dataDir: string }> {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'countersign-wf-')));
  const activities = createActivities({
    dataDir: dir,
    channels: createChannelRegistry([brokenChannel('teams')]),
    callbackSecretFor: (agent) => (agent === AGENT_WITHOUT_SECRET ? undefined : SECRET),
    logger: pino({ level: 'silent' }),
    // Requests of signing blueprints (security-ops) carry `sign: true`: this worker signs them.
    auditSigner: auditSigner(generateAuditSigningKey().privateKeyPem),
  });
  return { activities, dataDir: dir };
}

let runtimeInstalled = false;
/** Activity retries are expected here; keep the SDK's WARN lines about them out of the output. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // already installed in this process
  }
}

export async function startWorker(taskQueue: string, activities: ApprovalActivities, extra: Partial<WorkerOptions> = {}): Promise<TestWorker> {
  quietRuntime();
  const worker = await createTestWorker({
    taskQueue,
    activities: activities as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>,
    workflowsPath: resolveWorkflowsPath(),
    // As infra/temporal/worker.ts: in-flight activities finish on shutdown.
    extra: { shutdownGraceTime: '10 seconds', ...extra },
  });
  worker.start();
  return worker;
}

export async function startApproval(client: Client, taskQueue: string, input: ApprovalInput): Promise<WorkflowHandle> {
  return client.workflow.start(APPROVAL_WORKFLOW, { taskQueue, workflowId: input.id, args: [input] });
}

/** Polls the `state` query until `done(state)` holds. */
export async function waitForState(handle: WorkflowHandle, done: (s: ApprovalState) => boolean, timeoutMs = 15_000): Promise<ApprovalState> {
  const until = Date.now() + timeoutMs;
  let last: ApprovalState | undefined;
  while (Date.now() < until) {
    try {
      last = await handle.query(stateQuery);
      if (done(last)) return last;
    } catch {
      // first workflow task not processed yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`state never matched; last: ${JSON.stringify(last)}`);
}

export const events = (s: ApprovalState): string[] => s.history.map((h) => h.event);
