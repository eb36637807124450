/**
 * The service the PagerDuty and Zendesk tests run: every shipped blueprint, agents infra-bot and
 * support-bot, approvers with PagerDuty and Zendesk identities, a public URL on the cards, and the
 * given integrations (see service.ts).
 */
import type { CallbackPayload } from '../../core/index.js';
import type { Integration, IntegrationContext } from '../../integrations/index.js';
import type { RunningService } from '../../server/index.js';
import { captureLogger } from '../api/harness.js';
import { BLUEPRINT_GROUPS_YAML } from './groups.js';
import { startTestService } from './service.js';

export const AGENT_KEYS = { infra: 'test-agent-key-infra-0000001', support: 'test-agent-key-support-000001' } as const;
export const CALLBACK_SECRET = 'test-callback-secret-0123456789';
export const PUBLIC_URL = 'https://countersign.example.test';

const CONFIG = `agents:
  - { id: infra-bot, tenant: acme, blueprints: [infra-management], apiKey: ${AGENT_KEYS.infra}, callbackSecret: ${CALLBACK_SECRET} }
  - { id: support-bot, tenant: acme, blueprints: [customer-support], apiKey: ${AGENT_KEYS.support}, callbackSecret: ${CALLBACK_SECRET} }
approvers:
  - { id: alice, name: Alice, email: alice@example.com, tenants: [acme], pagerduty: PALICE1, token: test-approver-token-alice-001 }
  - { id: bob, name: Bob, email: bob@example.com, tenants: [acme], token: test-approver-token-bob-00001 }
  - { id: carol, name: Carol, email: carol@example.com, tenants: [acme], zendesk: carol.agent@example.com, token: test-approver-token-carol-001 }
  - { id: dave, name: Dave, email: dave@example.com, tenants: [acme], token: test-approver-token-dave-0001 }
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
  const log = captureLogger('info');
  const svc = await startTestService({ config: CONFIG, integrations: build, publicUrl: PUBLIC_URL, callbackSecret: CALLBACK_SECRET, logger: log.logger, ...(now ? { now } : {}) });
  const flat = async (p: Promise<{ status: number; body: any }>) => {
    const { status, body } = await p;
    return { status, ...(body as Record<string, unknown>) } as any;
  };
  return {
    service: svc.service,
    url: svc.url,
    callbackUrl: svc.callbacks.url,
    get callbacks() {
      return svc.callbacks.verdicts.map((v) => v.payload);
    },
    log,
    submit: (key, body) => flat(svc.submit(key, body)),
    get: (key, id) => flat(svc.get(key, id)),
    close: () => svc.close(),
  };
}
