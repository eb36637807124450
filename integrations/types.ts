/**
 * How a vendor integration plugs into the service: an outbound {@link ApprovalChannel} the worker
 * uses to post and update cards, and inbound routes the API mounts for the vendor's signed
 * callbacks. Integrations reach workflows only through a {@link Decider}, never by importing one.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ApproverConfig } from '../server/config/schema.js';
import type { ApprovalState, CloseElsewhereInput, DecisionInput, DecisionResult } from '../workflows/contract.js';
import type { ApprovalChannel } from './channel.js';

/** The API's way into the approval workflows, handed to inbound handlers. */
export interface Decider {
  /** Runs the workflow's `decide` update: the caller learns whether the answer counted. */
  decide(id: string, input: DecisionInput): Promise<DecisionResult>;
  /** Sends the `decide` signal: for paths where nobody waits for the answer. */
  signal(id: string, input: DecisionInput): Promise<void>;
  /**
   * Closes a pending approval as decided outside Countersign (the gateway or ticket settled it):
   * it ends `denied` by `system`, the cards say so, and the sandbox is told not to act on it.
   */
  closeElsewhere(id: string, input: CloseElsewhereInput): Promise<void>;
  /** The current state, or null when no such approval exists. */
  state(id: string): Promise<ApprovalState | null>;
}

/** What every integration factory gets. Secrets are read from `env` and never logged. */
export interface IntegrationContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly approvers: readonly ApproverConfig[];
  readonly groups: Readonly<Record<string, readonly string[]>>;
  readonly logger: Logger;
  readonly dataDir: string;
  /** Base URL of this service's API, for links on cards (`COUNTERSIGN_PUBLIC_URL`). */
  readonly publicUrl: string;
}

export interface Integration {
  readonly name: string;
  /** Outbound: posts and updates cards; registered with the worker's channel registry. */
  readonly channel?: ApprovalChannel;
  /** Inbound: mounts the vendor's callback routes on the API; handlers verify signatures first. */
  routes?(app: FastifyInstance, decider: Decider): void | Promise<void>;
  /** Background work the integration runs (pollers); started by the service after the API. */
  start?(decider: Decider): void | Promise<void>;
  close?(): Promise<void>;
}

/**
 * Builds an integration from the environment: null when it is not configured at all; throws an
 * error naming the variable when it is configured halfway (fail closed at start, not at the first card).
 */
export type IntegrationFactory = (ctx: IntegrationContext) => Integration | null;
