/**
 * The contract every channel keeps, whatever vendor it speaks to: it posts the card where the
 * approvers are; it refuses a person who may not decide and the workflow records the attempt; it
 * refuses a replayed inbound request, changing nothing; a signed decision by an approver counts
 * and the verdict reaches the sandbox; the card ends in its final state. Each channel's test
 * adapter drives its vendor's fake; the suite (channel-contract.test.ts) is the same for all.
 */
import type { TestService } from '../support/service.js';

/** Who answers: the approver of the contract group, or a person no approver maps to. */
export type Who = 'approver' | 'outsider';

/** One inbound request as the vendor sends it (bytes and headers fixed, so it can be sent again). */
export interface Delivery {
  send(): Promise<{ status: number; body: any }>;
}

/** A channel under test and its vendor's fake. */
export interface ChannelUnderTest {
  /** The channel's name (policies route `contract.<name>` to it). */
  readonly name: string;
  /** Starts the vendor's fake; returns the environment that configures the channel against it. */
  start(): Promise<Record<string, string>>;
  /** Once the service listens (Teams links the conversation here). */
  ready?(service: TestService): Promise<void>;
  /** Waits for the card of approval `id` at the vendor; returns what answering it needs. */
  posted(id: string): Promise<unknown>;
  /** A signed decision on the card, as the vendor would deliver it. */
  answer(card: unknown, id: string, who: Who, decision: 'approve' | 'deny'): Delivery;
  /** Whether the vendor's answer to a replayed request refused it. */
  refusedReplay(res: { status: number; body: any }): boolean;
  /** Whether the card at the vendor shows the approval's final status. */
  showsFinal(card: unknown, id: string, status: 'approved' | 'denied'): boolean | Promise<boolean>;
  stop(): Promise<void>;
}

/** What every adapter's answers are sent to. */
export interface ContractTarget {
  url: string;
}

/** The approver of the contract group and the outsider, in every channel's terms. */
export const PEOPLE = {
  approver: { id: 'alice', slack: 'UALICE', teams: 'aad-alice', pagerduty: 'PALICE', zendesk: 'alice.agent@example.com', webhook: 'hook-alice' },
  outsider: { slack: 'UMALLORY', teams: 'aad-mallory', pagerduty: 'PMALLORY', zendesk: 'mallory@evil.test', webhook: 'hook-mallory', email: 'mallory@evil.test' },
} as const;

export const CONTRACT_SECRET = 'test-callback-secret-0123456789';
export const CONTRACT_AGENT_KEY = 'test-agent-key-contract-00001';

export const CONTRACT_CONFIG = `agents:
  - { id: contract-bot, tenant: acme, blueprints: [contract], apiKey: ${CONTRACT_AGENT_KEY}, callbackSecret: ${CONTRACT_SECRET} }
approvers:
  - id: alice
    name: Alice
    email: alice@example.com
    tenants: [acme]
    token: test-approver-token-alice-001
    slack: ${PEOPLE.approver.slack}
    teams: ${PEOPLE.approver.teams}
    pagerduty: ${PEOPLE.approver.pagerduty}
    zendesk: ${PEOPLE.approver.zendesk}
    webhook: ${PEOPLE.approver.webhook}
  - { id: bob, name: Bob, email: bob@example.com, tenants: [acme], token: test-approver-token-bob-00001 }
groups:
  contract-approvers: [alice]
`;

/** One rule per channel: action `contract.<name>` asks the contract group on that channel. */
export function contractPolicy(channels: readonly string[]): string {
  return `blueprint: contract
security:
  approvalWorkflows:
${channels.map((c) => `    - { trigger: contract.${c}, approver: contract-approvers, channel: ${c} }`).join('\n')}
`;
}
