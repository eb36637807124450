/**
 * The approval workflow's public contract: its type name, message names and payloads. The API,
 * the channels and the tests import this file; it holds no workflow code so it is safe anywhere.
 */
import type { ActionRequest, Decision } from '../triggers/types.js';

export const APPROVAL_WORKFLOW = 'approvalWorkflow';
export const DEFAULT_TASK_QUEUE = 'countersign';

/** Terminal and pending states of one request, as the HTTP API reports them. */
export const Status = {
  Pending: 'pending',
  Approved: 'approved',
  Denied: 'denied',
  Expired: 'expired',
  Blocked: 'blocked',
} as const;
export type Status = (typeof Status)[keyof typeof Status];
export const TERMINAL_STATUSES: readonly Status[] = ['approved', 'denied', 'expired', 'blocked'];

/** Search attributes the service registers and upserts; `GET /v1/approvals` queries them. */
export const SearchAttribute = {
  Status: 'CountersignStatus', // Keyword
  Groups: 'CountersignGroups', // KeywordList
  Blueprint: 'CountersignBlueprint', // Keyword
  Tenant: 'CountersignTenant', // Keyword
  Deadline: 'CountersignDeadline', // Datetime
} as const;
export const SEARCH_ATTRIBUTE_TYPES = {
  CountersignStatus: 'Keyword',
  CountersignGroups: 'KeywordList',
  CountersignBlueprint: 'Keyword',
  CountersignTenant: 'Keyword',
  CountersignDeadline: 'Datetime',
} as const;

/** Message names. Decisions come by Update (caller learns if it counted) or by Signal (fire and forget). */
export const Message = {
  Decide: 'decide', // update and signal
  State: 'state', // query
  CloseElsewhere: 'closeElsewhere', // signal: the proposal was decided outside Countersign
} as const;

/** The request was settled where it lives (a gateway, a ticket): nobody here decides any more. */
export interface CloseElsewhereInput {
  /** What happened, e.g. "approved at the gateway by its own auto mode". */
  reason: string;
  /** Where it was settled: `openshell`, `zendesk`, … */
  via: string;
}

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
  /**
   * Set when a rate limit or cooldown holds (api/limits.ts): the workflow ends at once with status
   * `blocked`, `retryAfter` (seconds) and this reason; `decision` is then a refusal saying the same.
   */
  block?: { reason: string; retryAfter: number };
}

export type DecisionValue = 'approve' | 'deny';

/** One approver's answer, from any channel. */
export interface DecisionInput {
  approverId: string;
  decision: DecisionValue;
  reason?: string;
  /** Channel the answer came from: `web`, `slack`, … */
  via: string;
  /** When set, must equal the workflow's requestHash: the approver saw this exact request. */
  requestHash?: string;
}

export interface HistoryEntry {
  event:
    | 'submitted'
    | 'posted'
    | 'approved'
    | 'denied'
    | 'refused'
    | 'reminded'
    | 'escalated'
    | 'expired'
    | 'blocked'
    | 'delivered'
    | 'delivery_failed'
    | 'decided';
  /** Approver id or `system`. */
  who: string;
  /** Epoch ms, from the workflow clock. */
  at: number;
  why?: string;
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
}

/** What the `decide` update answers. */
export interface DecisionResult {
  counted: boolean;
  /** Why it did or did not count. */
  message: string;
  state: ApprovalState;
}

/** Added by workflows: what the sandbox must do with the action. Only `approved` executes. */
export type SandboxVerdict = 'execute' | 'block';

/**
 * Added by workflows: the JSON body POSTed to `callbackUrl` when a request reaches a terminal
 * state (see `activities/deliver.ts` for the signature headers).
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
