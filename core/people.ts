/**
 * Who may submit (agents) and who may decide (approvers), as `countersign.yaml` declares them.
 * Validated once at start (infra/config); every layer reads these shapes.
 */
import type { ChannelName } from './channel.js';

/** Matches every blueprint or tenant in `blueprints`, `tenants` and `auditorOf`. Explicit, never the default. */
export const ANY = '*';

/** An agent's role beyond submitting: `tenant-reader` also reads every action of its tenant. */
export const AgentRole = { TenantReader: 'tenant-reader' } as const;
export type AgentRole = (typeof AgentRole)[keyof typeof AgentRole];

/**
 * One bearer credential as the service keeps it: the SHA-256 of the key (the config may hold only
 * that), and when it stops working. Several per agent or approver let a rotation overlap.
 */
export interface Credential {
  /** Lower-case hex SHA-256 of the key's UTF-8 bytes. */
  readonly sha256: string;
  /** Epoch ms; null: no expiry. */
  readonly expiresAt: number | null;
}

/** An agent: authenticated by its API key, acting in one tenant, through the blueprints bound to it. */
export interface Agent {
  readonly id: string;
  readonly tenant: string;
  /** The only blueprints it may submit to; `['*']` is the explicit wildcard. */
  readonly blueprints: readonly string[];
  /** Without a role an agent reads only its own actions. */
  readonly role?: AgentRole | undefined;
  /** Bearer credential, when the config holds the key itself. A secret: never logged. */
  readonly apiKey?: string | undefined;
  /** Every key that authenticates this agent (`apiKey`, `apiKeySha256`, `apiKeys[]`), as digests. */
  readonly credentials?: readonly Credential[];
  /** Signs verdict callbacks to this agent's sandbox; falls back to COUNTERSIGN_CALLBACK_SECRET. */
  readonly callbackSecret?: string | undefined;
}

/** A person who may decide. */
export interface Approver {
  readonly id: string;
  readonly name: string;
  readonly email?: string | undefined;
  /** Bearer credential for the web channel and the console, when the config holds it. A secret: never logged. */
  readonly token?: string | undefined;
  /** Every token that authenticates this approver (`token`, `tokenSha256`, `tokens[]`), as digests. */
  readonly credentials?: readonly Credential[];
  /** The tenants whose requests this person may decide; `['*']` is the explicit wildcard. */
  readonly tenants: readonly string[];
  /** Tenants whose requests this person may read but never decide. */
  readonly auditorOf: readonly string[];
  /**
   * Who this person is in each channel: channel name → the channel's own identifier (a Slack user
   * or user group id, an Entra object id, a PagerDuty user id or email, a Zendesk agent email).
   * Written as flat keys in `countersign.yaml` (`slack: U012ABC`); each channel declares its key.
   */
  readonly identities: Readonly<Record<ChannelName, string>>;
}

/** An operator who may freeze and unfreeze (the kill switch), and nothing else: never an agent or approver credential. */
export interface Admin {
  readonly id: string;
  /** Bearer credential for `/v1/admin/*`. A secret: never logged. */
  readonly token: string;
}

/** Group name → approver ids. Policies name groups; members come from here. */
export type Groups = Readonly<Record<string, readonly string[]>>;

/** True when `list` names `value` or is the explicit wildcard. */
export function covers(list: readonly string[], value: string): boolean {
  return list.includes(value) || list.includes(ANY);
}
