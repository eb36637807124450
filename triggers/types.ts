/**
 * The product's contract between agents, policies and the approval pipeline: what an agent asks
 * for and what `decide()` answers. Wire values are `as const` objects plus unions.
 */

/** An action an agent wants to take. Expressions read `params` bare and under the action's first segment. */
export interface ActionRequest {
  /** Dotted action or playbook name: `refund`, `scale.horizontal`, `block-ip`, `read`, `write`. */
  action: string;
  /** What the action touches: `tickets`, or `salesforce:contacts` when permissions are grouped by system. */
  resource?: string;
  params?: Record<string, unknown>;
  /** Facts about the situation rather than the action: `context.ticket`, `context.environment`. */
  context?: Record<string, unknown>;
  /** The agent's id; an agent can never approve its own request. */
  agent: string;
  tenant?: string;
  idempotencyKey?: string;
}

export const Verdict = {
  AutoApprove: 'auto_approve',
  RequireApproval: 'require_approval',
  Deny: 'deny',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** Where approvers are asked. `web` is the built-in channel (HTTP API, console, CLI). */
export const Channel = {
  Slack: 'slack',
  Teams: 'teams',
  PagerDuty: 'pagerduty',
  Zendesk: 'zendesk',
  Web: 'web',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
export const CHANNELS: readonly Channel[] = Object.values(Channel);

/** The policy node that decided: `security.approvalWorkflows[0]` at line 17. Line 0 when no node decided. */
export interface RuleRef {
  readonly path: string;
  readonly line: number;
}

/** How an approval is carried out: who, where, how many, how long. Durations are in seconds. */
export interface ApprovalRoute {
  /** Approver group names; members come from the service config. */
  readonly approvers: readonly string[];
  readonly channel: Channel;
  /** Distinct people who must approve. */
  readonly quorum: number;
  readonly slaSeconds: number;
  readonly remindEverySeconds: number | null;
  readonly escalateTo: string | null;
  readonly escalateAfterSeconds: number | null;
  /** PagerDuty severity for incidents raised by this route. */
  readonly severity: 'critical' | 'error' | 'warning' | 'info';
}

/** What `decide()` returns. For `auto_approve` and `deny`, `approvers` is empty and the route fields are neutral. */
export interface Decision extends ApprovalRoute {
  readonly verdict: Verdict;
  readonly rule: RuleRef;
  /** One sentence a security lead or approver understands. */
  readonly reason: string;
  /** In order, why each earlier step did not decide, then what decided. */
  readonly explanation: readonly string[];
}
