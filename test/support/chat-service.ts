/**
 * The service the Slack and Teams tests (and bench/click) run: the customer-support blueprint,
 * the chat approvers alice, bob, carol and dave with their Slack and Teams identities, and the
 * given integrations (see service.ts).
 */
import type { Integration, IntegrationContext } from '../../integrations/index.js';
import type { Logger } from '../../infra/logger.js';
import { eventually } from './eventually.js';
import { ROOT, startTestService, type TestService } from './service.js';

export { ROOT };
export { CallbackReceiver } from './callback-receiver.js';
export const CALLBACK_SECRET = 'test-callback-secret-0123456789';
export const AGENT_KEY = 'test-agent-key-support-000001';
export const TOKENS = { alice: 'test-approver-token-alice-001', bob: 'test-approver-token-bob-00001' } as const;

export const CONFIG = `agents:
  - { id: support-bot, tenant: acme, blueprints: [customer-support], apiKey: ${AGENT_KEY}, callbackSecret: ${CALLBACK_SECRET} }
approvers:
  - { id: alice, name: Alice, tenants: [acme], token: ${TOKENS.alice}, slack: UALICE, teams: aad-alice }
  - { id: bob, name: Bob, email: bob@example.com, tenants: [acme], token: ${TOKENS.bob}, teams: aad-bob }
  - { id: carol, name: Carol, tenants: [acme], token: test-approver-token-carol-001, slack: SLEADS, teams: aad-carol }
  - { id: dave, name: Dave, tenants: [acme], token: test-approver-token-dave-0001, slack: UDAVE, teams: aad-dave }
groups:
  support-leads: [alice, bob, carol]
  account-managers: [bob, carol]
  tier2-support: [dave]
`;

export interface Countersign extends Omit<TestService, 'submit'> {
  /** Submits an action as support-bot under customer-support, with the callback URL set. */
  submit(body: Record<string, unknown>): Promise<{ status: number; body: any }>;
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
  const svc = await startTestService({
    config: CONFIG,
    policies: ['customer-support.yaml'],
    integrations: o.integrations,
    callbackSecret: CALLBACK_SECRET,
    temporal: o.temporalAddress ? 'shared' : 'embedded',
    taskQueue: o.taskQueue,
    ...(o.logger ? { logger: o.logger } : {}),
  });
  return { ...svc, submit: (body) => svc.submit(AGENT_KEY, { blueprint: 'customer-support', ...body }) };
}

/** Polls `fn` until truthy, every 25 ms (cards and calls land within milliseconds here). */
export function until<T>(fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 30_000, what = 'condition'): Promise<T> {
  return eventually(fn, ms, 25, what);
}
