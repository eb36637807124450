/**
 * Who may submit (agents) and who may decide (approvers), as `countersign.yaml` declares them.
 * Validated once at start (infra/config); every layer reads these shapes.
 */
import type { ChannelName } from './channel.js';

/** An agent: authenticated by its API key, acting in one tenant. */
export interface Agent {
  readonly id: string;
  readonly tenant: string;
  /** Bearer credential. A secret: never logged. */
  readonly apiKey: string;
  /** Signs verdict callbacks to this agent's sandbox; falls back to COUNTERSIGN_CALLBACK_SECRET. */
  readonly callbackSecret?: string | undefined;
}

/** A person who may decide. */
export interface Approver {
  readonly id: string;
  readonly name: string;
  readonly email?: string | undefined;
  /** Bearer credential for the web channel. A secret: never logged. */
  readonly token: string;
  /**
   * Who this person is in each channel: channel name → the channel's own identifier (a Slack user
   * or user group id, an Entra object id, a PagerDuty user id or email, a Zendesk agent email).
   * Written as flat keys in `countersign.yaml` (`slack: U012ABC`); each channel declares its key.
   */
  readonly identities: Readonly<Record<ChannelName, string>>;
}

/** Group name → approver ids. Policies name groups; members come from here. */
export type Groups = Readonly<Record<string, readonly string[]>>;
