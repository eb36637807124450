/**
 * What an agent asks for and what the policy answers: the product's contract between agents,
 * policies and the approval pipeline (see `decide()` in triggers/).
 */
import type { ChannelName } from './channel.js';

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

/** What the policy says about a request. */
export const Verdict = {
  AutoApprove: 'auto_approve',
  RequireApproval: 'require_approval',
  Deny: 'deny',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** PagerDuty-style severity of an approval; every channel may show it. */
export const Severity = {
  Critical: 'critical',
  Error: 'error',
  Warning: 'warning',
  Info: 'info',
} as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** The policy node that decided: `security.approvalWorkflows[0]` at line 17. Line 0 when no node decided. */
export interface RuleRef {
  readonly path: string;
  readonly line: number;
}

/** How an approval is carried out: who, where, how many, how long. Durations are in seconds. */
export interface ApprovalRoute {
  /** Approver group names; members come from the service config. */
  readonly approvers: readonly string[];
  /** The channel approvers answer in; one of the names the channel registry knows. */
  readonly channel: ChannelName;
  /** Distinct people who must approve. */
  readonly quorum: number;
  readonly slaSeconds: number;
  readonly remindEverySeconds: number | null;
  readonly escalateTo: string | null;
  readonly escalateAfterSeconds: number | null;
  /** Severity of incidents or tickets raised by this route. */
  readonly severity: Severity;
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
