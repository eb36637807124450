/**
 * How an integration plugs into the service. A *channel* (integrations/channels) is where people
 * answer: an outbound {@link ApprovalChannel} the worker posts cards with, and inbound routes for
 * the vendor's signed answers. A *front door* (integrations/front-doors) is where agents' actions
 * arrive besides the HTTP API: it submits through {@link Ports.submit}, the same service function
 * the API's `POST /v1/actions` calls. Either reaches the workflows only through the ports the
 * wiring hands it, never by importing a workflow or the API.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AgentPorts, Approver, ChannelName, Decider, Groups, HealthReporter, SubmitAction } from '../core/index.js';
import type { ApprovalChannel } from './kit/channel.js';

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

/** What the wiring hands to routes and background work. */
export interface Ports {
  readonly decider: Decider;
  readonly submit: SubmitAction;
  /** Reads and withdrawals as an agent, for front doors that wait for a verdict (MCP). */
  readonly agents: AgentPorts;
  /** Where background work says it is degraded (a gateway that does not answer) and well again. */
  readonly health: HealthReporter;
}

export interface Integration {
  readonly name: string;
  /** Outbound: posts and updates cards; registered with the worker's channel registry. */
  readonly channel?: ApprovalChannel;
  /** Inbound: mounts the vendor's routes (signed answers, callbacks) on the service's HTTP server. */
  routes?(app: FastifyInstance, ports: Ports): void | Promise<void>;
  /** Background work the integration runs (pollers); started by the service once HTTP listens. */
  start?(ports: Ports): void | Promise<void>;
  close?(): Promise<void>;
}

/**
 * Builds an integration from the environment: null when it is not configured at all; throws an
 * error naming the variable when it is configured halfway (fail closed at start, not at the first card).
 */
export type IntegrationFactory = (ctx: IntegrationContext) => Integration | null;

/** One line of a registry: a name known without loading the integration's code. */
export interface IntegrationDefinition {
  readonly name: ChannelName;
  /** Loads the integration's module (SDKs are heavy: only when the service starts). */
  readonly load: () => Promise<IntegrationFactory>;
}

/** A channel's line: its name as policies write it, and the flat key approvers carry for it in `countersign.yaml`. */
export interface ChannelDefinition extends IntegrationDefinition {
  /** `slack` for `approvers[].slack: U012ABC`; absent when people are not mapped by an identity here. */
  readonly identityKey?: string;
}
