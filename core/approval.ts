/**
 * The approval workflow's public contract: its type name, input, state and message payloads. The
 * workflow type, message names and field names are on the wire (recorded histories replay with
 * them): never rename one.
 */
import type { ChannelName } from './channel.js';
import type { ActionRequest, Decision } from './request.js';
import type { SandboxVerdict, Status } from './status.js';

export const APPROVAL_WORKFLOW = 'approvalWorkflow';
export const DEFAULT_TASK_QUEUE = 'countersign';

/** Input of one approval workflow; everything needed to run it without reading config again. */
export interface ApprovalInput {
  /** Same as the workflow id; the sandbox's idempotency key for executing the verdict. */
  id: string;
  request: ActionRequest;
  /** sha256 of the canonical request; an approval is bound to it. */
  requestHash: string;
  blueprint: string;
  policyHash: string;
  decision: Decision;
  /** Approver ids allowed to decide, resolved from the decision's groups at submission. */
  eligible: string[];
  /** Approver ids added when the route escalates. */
  escalation: string[];
  callbackUrl?: string;
  /** Field names the policy classes as PII; redacted from audit and logs. */
  piiFields: string[];
  /** Epoch ms when the API accepted the request. */
  submittedAt: number;
  /** The policy file that decided (its base name), shown with the rule. */
  policyFile?: string;
  /** The blueprint's `auditLog.signedEntries`: every audit entry of this request is signed. */
  auditSigned?: boolean;
  /** The blueprint's `auditLog.includeModelInputOutput`: the submitted entry keeps `context.model`. */
  auditModelIO?: boolean;
  /**
   * Set when a rate limit or cooldown holds: the workflow ends at once with status `blocked`,
   * `retryAfter` (seconds) and this reason; `decision` is then a refusal saying the same.
   */
  block?: { reason: string; retryAfter: number };
}

export const DecisionValue = { Approve: 'approve', Deny: 'deny' } as const;
export type DecisionValue = (typeof DecisionValue)[keyof typeof DecisionValue];

/** One approver's answer, from any channel. */
export interface DecisionInput {
  approverId: string;
  decision: DecisionValue;
  reason?: string;
  /** Channel the answer came from: `web`, `slack`, … */
  via: ChannelName;
  /** When set, must equal the workflow's requestHash: the approver saw this exact request. */
  requestHash?: string;
}

/** The request was settled where it lives (a gateway, a ticket): nobody here decides any more. */
export interface CloseElsewhereInput {
  /** What happened, e.g. "approved at the gateway by its own auto mode". */
  reason: string;
  /** Where it was settled: `openshell`, `zendesk`, … */
  via: string;
}

/** An admin froze the request's agent, blueprint or tenant with `--deny-pending`: it ends denied. */
export interface HaltInput {
  /** The admin. */
  by: string;
  /** `frozen by <admin>: <reason>`, as the history, cards and the agent see it. */
  reason: string;
}

/** The submitting agent takes its pending request back (`POST /v1/actions/:id/withdraw`). */
export interface WithdrawInput {
  /** The agent id; the workflow checks it is the one that submitted. */
  agent: string;
  /** Why, for the history, the cards and the audit log. */
  reason: string;
  /** The front door it came through: `api`, `mcp`, … */
  via: string;
}

/**
 * An answer a channel received but will not count, for the approval's record: a PagerDuty note
 * while notes do not decide, a Zendesk tag set through the API. Recorded as `refused`.
 */
export interface RefusalInput {
  /** Who answered: an approver id or the channel's label for an unmapped person (`pagerduty:PABC123`). */
  who: string;
  via: ChannelName;
  /** Why it does not count, for the history and the audit log. */
  why: string;
}

export type HistoryEvent =
  | 'submitted'
  | 'posted'
  | 'approved'
  | 'denied'
  | 'refused'
  | 'reminded'
  | 'escalated'
  | 'expired'
  | 'blocked'
  | 'withdrawn'
  | 'delivered'
  | 'delivery_failed'
  | 'decided';

export interface HistoryEntry {
  event: HistoryEvent;
  /** Approver id or `system`. */
  who: string;
  /** Epoch ms, from the workflow clock. */
  at: number;
  why?: string;
}

/** The request as everyone allowed to read it sees it: the fields the policy classes as PII are `[redacted]`. */
export interface RequestView {
  blueprint: string;
  action: string;
  resource?: string;
  params?: Record<string, unknown>;
  context?: Record<string, unknown>;
  agent: string;
  tenant: string;
}

/** The rule that decided, where it is written. */
export interface RuleView {
  path: string;
  line: number;
  /** The policy file's base name, e.g. `customer-support.yaml`. */
  file?: string;
}

/** What the `state` query returns and the HTTP API serves. */
export interface ApprovalState {
  id: string;
  status: Status;
  verdict: Decision['verdict'];
  reason: string;
  approvers: readonly string[];
  quorum: number;
  approvedBy: string[];
  deniedBy: string | null;
  /** Epoch ms; null when no person is asked. */
  deadline: number | null;
  retryAfter?: number;
  decidedAt: number | null;
  delivered: boolean;
  requestHash: string;
  history: HistoryEntry[];
  /** Added by workflows: entries dropped from the front of `history` (it keeps the last 200). */
  historyDropped?: number;
  /** Added by workflows: approver ids whose decision counts now (grows on escalation). */
  eligible?: string[];
  /** Added by workflows: true once the route escalated. */
  escalated?: boolean;
  /** Added by workflows: channel that actually serves the approval (`web` after a fallback). */
  channel?: string | null;
  /** Added by workflows: why the verdict could not be delivered, when `delivery_failed`. */
  deliveryError?: string | null;
  /** Added by workflows: the agent that withdrew the request, once withdrawn. */
  withdrawnBy?: string | null;
  /** Added by workflows: the request, redacted. */
  request?: RequestView;
  /** Added by workflows: the rule that decided. */
  rule?: RuleView;
  /** Added by workflows: why, step by step (`decide()`'s explanation). */
  explanation?: readonly string[];
}

/**
 * What the approval keeps in its memo, so a list of approvals shows what each is without reading
 * every one: set at start, `approved` kept up to date as approvals count.
 */
export interface ApprovalMemo {
  action: string;
  agent: string;
  /** One line: `refund amount=75` (PII redacted). */
  summary: string;
  quorum: number;
  approved: number;
  /** Set when it ends (the `outcome-memo` patch): who decided (`system` for an expiry or a block) and why. */
  decidedBy?: string;
  reason?: string;
}

/** `refund amount=75 reason=dup`: the action and its first params, redacted, at most ~120 characters. */
export function summaryOf(request: Pick<RequestView, 'action' | 'resource' | 'params'>): string {
  const parts = [request.action, ...(request.resource ? [request.resource] : [])];
  for (const [key, value] of Object.entries(request.params ?? {})) {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    parts.push(`${key}=${shown === undefined ? '' : shown.length > 40 ? `${shown.slice(0, 39)}…` : shown}`);
    if (parts.join(' ').length > 120) break;
  }
  const line = parts.join(' ');
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** What the `decide` update answers. */
export interface DecisionResult {
  counted: boolean;
  /** Why it did or did not count. */
  message: string;
  state: ApprovalState;
}

/**
 * The JSON body POSTed to `callbackUrl` when a request reaches a terminal state (signed: see
 * `signCallback` in core/crypto).
 */
export interface CallbackPayload {
  id: string;
  status: Status;
  verdict: SandboxVerdict;
  reason: string;
  /** Approver ids (comma-joined when a quorum approved), or `system`. */
  decidedBy: string;
  /** Epoch ms. */
  decidedAt: number;
  requestHash: string;
  /** Same as `id`: the sandbox executes each id at most once. */
  idempotencyKey: string;
  /** For `blocked`: seconds until the agent may try again. */
  retryAfter?: number;
}

/** Approver ids allowed to decide now, as the state reports them (grows on escalation). */
export function eligibleOf(state: Pick<ApprovalState, 'eligible'>): readonly string[] {
  return state.eligible ?? [];
}

/** Who decided a terminal state, for messages, cards and the callback: `alice`, `alice, bob` or `system`; null while pending. */
export function decidedBy(state: Pick<ApprovalState, 'status' | 'approvedBy' | 'deniedBy' | 'withdrawnBy'>): string | null {
  switch (state.status) {
    case 'approved':
      return state.approvedBy.length > 0 ? state.approvedBy.join(', ') : 'system';
    case 'denied':
      return state.deniedBy ?? 'system';
    case 'expired':
    case 'blocked':
      return 'system';
    case 'withdrawn':
      return state.withdrawnBy ?? 'system';
    default:
      return null;
  }
}

/**
 * The request as the audit log keeps it: without `context.model` (the model's input and output)
 * unless the blueprint says `auditLog.includeModelInputOutput: true`. PII is redacted later, by the log.
 */
export function auditedRequest(input: Pick<ApprovalInput, 'request' | 'auditModelIO'>): ActionRequest {
  const { request } = input;
  if (input.auditModelIO || request.context === undefined || !Object.hasOwn(request.context, 'model')) return request;
  const { model: _model, ...context } = request.context;
  return { ...request, context };
}
