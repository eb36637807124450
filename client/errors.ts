/**
 * Typed errors of the Countersign client. Match on `code` (stable strings) or `instanceof`; every
 * one is a CountersignError (`retryable` says whether the same call may succeed later).
 */
import { CountersignError, Finality } from '../core/errors.js';

export { CountersignError };

/** Approval state as the server reports it (subset the client relies on, plus everything else). */
export interface ActionState {
  id: string;
  status: 'pending' | 'approved' | 'denied' | 'expired' | 'blocked' | 'withdrawn';
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
  | 'action-withdrawn'
  | 'bad-request'
  | 'auth'
  | 'not-found'
  | 'conflict'
  | 'server'
  | 'network'
  | 'timeout';

const RETRYABLE: ReadonlySet<CountersignErrorCode> = new Set(['action-blocked', 'server', 'network', 'timeout']);

/** Base of the client's errors: the HTTP status and the server's own code when it answered. */
export class ClientError extends CountersignError<CountersignErrorCode> {
  /** HTTP status when the server answered, else undefined. */
  readonly status: number | undefined;
  /** The server's own error code (`invalid-request`, `unknown-blueprint`, …) when it sent one. */
  readonly apiCode: string | undefined;

  constructor(code: CountersignErrorCode, message: string, options: { status?: number; apiCode?: string; cause?: unknown; retryAfterMs?: number } = {}) {
    super(code, message, { finality: RETRYABLE.has(code) ? Finality.Retryable : Finality.Final, retryAfterMs: options.retryAfterMs, cause: options.cause });
    this.status = options.status;
    this.apiCode = options.apiCode;
  }
}

/** A person or the policy said no. `state.reason` says why. */
export class ActionDeniedError extends ClientError {
  constructor(readonly state: ActionState) {
    super('action-denied', `action ${state.id} denied: ${state.reason}`);
  }
}

/** Nobody decided before the deadline. */
export class ActionExpiredError extends ClientError {
  constructor(readonly state: ActionState) {
    super('action-expired', `action ${state.id} expired without a decision: ${state.reason}`);
  }
}

/** A rate limit or cooldown holds; try again after `retryAfter` seconds. */
export class ActionBlockedError extends ClientError {
  readonly retryAfter: number | undefined;
  constructor(readonly state: ActionState) {
    super('action-blocked', `action ${state.id} blocked: ${state.reason}${state.retryAfter !== undefined ? ` (retry after ${state.retryAfter} s)` : ''}`, {
      ...(state.retryAfter !== undefined ? { retryAfterMs: state.retryAfter * 1000 } : {}),
    });
    this.retryAfter = state.retryAfter;
  }
}

/** The agent took the request back before anyone decided; it must not run. */
export class ActionWithdrawnError extends ClientError {
  constructor(readonly state: ActionState) {
    super('action-withdrawn', `action ${state.id} withdrawn: ${state.reason}`);
  }
}

/** The request was malformed (400/413/415) or names an unknown blueprint; `issues` lists field problems. */
export class BadRequestError extends ClientError {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
    options: { status: number; apiCode?: string },
  ) {
    super('bad-request', message, options);
  }
}

/** Missing/unknown credential (401) or not allowed (403). */
export class AuthError extends ClientError {
  constructor(message: string, options: { status: number; apiCode?: string }) {
    super('auth', message, options);
  }
}

export class NotFoundError extends ClientError {
  constructor(message: string, options: { status: number; apiCode?: string }) {
    super('not-found', message, options);
  }
}

/** 409: idempotency key reused with another request, or the approval is already decided. */
export class ConflictError extends ClientError {
  constructor(message: string, options: { status: number; apiCode?: string }) {
    super('conflict', message, options);
  }
}

/** 5xx, a network failure or a timeout: nothing is known about the action; retry with the same idempotencyKey. */
export class ServerError extends ClientError {}
