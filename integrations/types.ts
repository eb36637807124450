/**
 * How a vendor integration plugs into the service: an outbound {@link ApprovalChannel} the worker
 * uses to post and update cards, and inbound routes the API mounts for the vendor's signed
 * callbacks. Integrations reach workflows only through a `Decider` (core/ports), never by importing one.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Approver, Decider, Groups } from '../core/index.js';
import type { ApprovalChannel } from './channel.js';

/** What every integration factory gets. Secrets are read from `env` and never logged. */
export interface IntegrationContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly approvers: readonly Approver[];
  readonly groups: Groups;
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
