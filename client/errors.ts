/**
 * Typed errors of the Countersign client. Match on `code` (stable strings) or `instanceof`.
 */

/** Approval state as the server reports it (subset the client relies on, plus everything else). */
export interface ActionState {
  id: string;
  status: 'pending' | 'approved' | 'denied' | 'expired' | 'blocked';
  verdict: 'auto_approve' | 'require_approval' | 'deny';
  reason: string;
  approvers?: readonly string[];
  eligible?: readonly string[];
  approvedBy?: string[];
  deniedBy?: string | null;
  deadline?: number | null;
  retryAfter?: number;
  decidedAt?: number | null;
  history?: { event: string; who: string; at: number; why?: string }[];
  [key: string]: unknown;
}

export type CountersignErrorCode =
  | 'action-denied'
  | 'action-expired'
  | 'action-blocked'
  | 'bad-request'
  | 'auth'
  | 'not-found'
  | 'conflict'
  | 'server'
  | 'network'
  | 'timeout';

export class CountersignError extends Error {
  override name = 'CountersignError';
  /** HTTP status when the server answered, else undefined. */
  readonly status: number | undefined;
  /** The server's own error code (`invalid-request`, `unknown-blueprint`, …) when it sent one. */
  readonly apiCode: string | undefined;

  constructor(
    readonly code: CountersignErrorCode,
    message: string,
    options: { status?: number; apiCode?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.apiCode = options.apiCode;
  }
}

/** A person or the policy said no. `state.reason` says why. */
export class ActionDeniedError extends CountersignError {
  override name = 'ActionDeniedError';
  constructor(readonly state: ActionState) {
    super('action-denied', `action ${state.id} denied: ${state.reason}`);
  }
}

/** Nobody decided before the deadline. */
export class ActionExpiredError extends CountersignError {
  override name = 'ActionExpiredError';
  constructor(readonly state: ActionState) {
    super('action-expired', `action ${state.id} expired without a decision: ${state.reason}`);
  }
}

/** A rate limit or cooldown holds; try again after `retryAfter` seconds. */
export class ActionBlockedError extends CountersignError {
  override name = 'ActionBlockedError';
  readonly retryAfter: number | undefined;
  constructor(readonly state: ActionState) {
    super('action-blocked', `action ${state.id} blocked: ${state.reason}${state.retryAfter !== undefined ? ` (retry after ${state.retryAfter} s)` : ''}`);
    this.retryAfter = state.retryAfter;
  }
}

/** The request was malformed (400/413/415) or names an unknown blueprint; `issues` lists field problems. */
export class BadRequestError extends CountersignError {
  override name = 'BadRequestError';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
    options: { status: number; apiCode?: string },
  ) {
    super('bad-request', message, options);
  }
}

/** Missing/unknown credential (401) or not allowed (403). */
export class AuthError extends CountersignError {
  override name = 'AuthError';
  constructor(message: string, options: { status: number; apiCode?: string }) {
    super('auth', message, options);
  }
}

export class NotFoundError extends CountersignError {
  override name = 'NotFoundError';
  constructor(message: string, options: { status: number; apiCode?: string }) {
    super('not-found', message, options);
  }
}

/** 409: idempotency key reused with another request, or the approval is already decided. */
export class ConflictError extends CountersignError {
  override name = 'ConflictError';
  constructor(message: string, options: { status: number; apiCode?: string }) {
    super('conflict', message, options);
  }
}

/** 5xx, a network failure or a timeout: nothing is known about the action; retry with the same idempotencyKey. */
export class ServerError extends CountersignError {
  override name = 'ServerError';
}
