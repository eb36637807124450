/**
 * What the service wiring hands to integrations, so that they reach the workflows and the
 * submission path without importing the API or a workflow: channels' inbound handlers get a
 * {@link Decider}; front doors (OpenShell, MCP) get a {@link SubmitAction}, the same service
 * function the HTTP API calls.
 */
import type { ApprovalState, CloseElsewhereInput, DecisionInput, DecisionResult, RefusalInput } from './approval.js';
import type { Verdict } from './request.js';
import type { Status } from './status.js';

/** The way into the approval workflows. */
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
  /** Records an answer the channel will not count (the `refuse` signal): history and audit say `refused`. */
  refuse(id: string, input: RefusalInput): Promise<void>;
  /** The current state, or null when no such approval exists. */
  state(id: string): Promise<ApprovalState | null>;
}

/** An action as an agent submits it (`POST /v1/actions`). */
export interface ActionSubmission {
  blueprint: string;
  action: string;
  resource?: string | undefined;
  params?: Record<string, unknown> | undefined;
  context?: Record<string, unknown> | undefined;
  /** Where the signed verdict is POSTed once it is final. */
  callbackUrl?: string | undefined;
  /** Same key → same action: a retried submission starts nothing new. */
  idempotencyKey?: string | undefined;
}

/** The answer to a submission. */
export interface SubmitResponse {
  id: string;
  status: Status;
  verdict: Verdict;
  reason: string;
  retryAfter?: number;
  /** Approver groups asked (from the policy). */
  approvers?: readonly string[];
  /** Approver ids who may decide. */
  eligible?: readonly string[];
  /** Epoch ms after which the approval expires. */
  deadline?: number;
}

/** `created: false` when the idempotency key already started a workflow for the same request. */
export interface SubmitOutcome {
  created: boolean;
  response: SubmitResponse;
}

/**
 * Submits as the agent holding `apiKey`: authentication, validation, policy decision, limits and
 * workflow start, exactly as over HTTP. Refusals throw a CountersignError whose `code` is the
 * HTTP API's error code (`unauthorized`, `unknown-blueprint`, `idempotency-conflict` with
 * `details.id`, …).
 */
export type SubmitAction = (apiKey: string, submission: ActionSubmission) => Promise<SubmitOutcome>;

/** An agent as its API key identifies it (`GET /v1/whoami`). */
export interface AgentIdentity {
  id: string;
  tenant: string;
  /** The blueprints bound to it (`*`: every one). */
  blueprints: readonly string[];
}

/**
 * What a front door does as the agent holding `apiKey` besides submitting, with exactly the
 * checks the HTTP API applies (its key, its bindings, what it may see). Refusals throw the API's
 * CountersignError (`not-found`, `forbidden`, `already-decided`, `unavailable`).
 */
export interface AgentPorts {
  /** The agent the key belongs to, or null (an unknown key, or an approver's token). */
  identify(apiKey: string): AgentIdentity | null;
  /** The action's state; with `waitSeconds` > 0, once it is final or the time is up. */
  read(apiKey: string, id: string, waitSeconds: number): Promise<ApprovalState>;
  /** Takes the agent's pending request back: it ends `withdrawn`. */
  withdraw(apiKey: string, id: string, reason: string): Promise<ApprovalState>;
}

/**
 * Where a part of the service says it is degraded, and that it is well again: a channel whose
 * credentials the vendor rejected, a gateway that does not answer. `/readyz` names each one with
 * the time it became degraded; none of them alone makes the service unready.
 */
export interface HealthReporter {
  /** `part` is `channel:<name>`, `openshell:gateway`, …; `reason` is one line, never a secret. */
  degrade(part: string, reason: string): void;
  restore(part: string): void;
}
