/**
 * HTTP error shape and stable error codes. Every error response is
 * `{"error": {"code", "message", "issues"?: [{path, message}], ...details}}`.
 * Clients match on `code`; never rename one.
 */
import { CountersignError, Finality } from '../core/index.js';

export const ErrorCode = {
  /** Body or query failed validation; `issues` lists `{path, message}`. */
  InvalidRequest: 'invalid-request',
  /** Body is not valid JSON. */
  InvalidJson: 'invalid-json',
  /** Content-Type is not application/json. */
  UnsupportedMediaType: 'unsupported-media-type',
  /** Body is over the 64 KiB limit. */
  PayloadTooLarge: 'payload-too-large',
  /** `blueprint` names no loaded policy; `known` lists the loaded ones. */
  UnknownBlueprint: 'unknown-blueprint',
  /** Missing or unknown bearer credential. */
  Unauthorized: 'unauthorized',
  /** Credential is valid but may not see or decide this request. */
  Forbidden: 'forbidden',
  /** No such action id or route. */
  NotFound: 'not-found',
  /** Idempotency key reused with a different request. */
  IdempotencyConflict: 'idempotency-conflict',
  /** The approval is no longer open to decisions (already decided, expired). */
  AlreadyDecided: 'already-decided',
  /** The decision names a request hash other than the request's: the person reviewed something else. */
  RequestChanged: 'request-changed',
  /** The agent, its blueprint or its tenant is frozen (the kill switch): nothing is submitted until unfrozen. */
  Frozen: 'frozen',
  /** Method not allowed on this route. */
  MethodNotAllowed: 'method-not-allowed',
  /** Temporal not reachable or no policy loaded. */
  Unavailable: 'unavailable',
  /** Server-side bug; logged with its request id. */
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface Issue {
  path: string;
  message: string;
}

/** An answer other than 2xx, with its HTTP status; `unavailable` (503) is the retryable one. */
export class ApiError extends CountersignError<ErrorCode> {
  declare readonly details: { readonly issues?: Issue[]; readonly [key: string]: unknown };

  constructor(
    readonly statusCode: number,
    code: ErrorCode,
    message: string,
    details: { issues?: Issue[]; [key: string]: unknown } = {},
  ) {
    super(code, message, { details, finality: statusCode === 503 ? Finality.Retryable : Finality.Final });
  }

  toBody(): { error: { code: ErrorCode; message: string; [key: string]: unknown } } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

export const badRequest = (message: string, issues?: Issue[]): ApiError =>
  new ApiError(400, ErrorCode.InvalidRequest, message, issues ? { issues } : {});
export const unauthorized = (message = 'missing or unknown credential: send `Authorization: Bearer <agent API key or approver token>`'): ApiError =>
  new ApiError(401, ErrorCode.Unauthorized, message);
export const forbidden = (message: string): ApiError => new ApiError(403, ErrorCode.Forbidden, message);
export const notFound = (message: string): ApiError => new ApiError(404, ErrorCode.NotFound, message);

/** Seconds a caller is told to wait (`Retry-After`) while Temporal is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** 503 with `Retry-After`: Temporal is not reachable, so nothing was recorded; the same request may be sent again. */
export const unavailable = (why = 'Temporal is not reachable'): ApiError =>
  new ApiError(503, ErrorCode.Unavailable, `${why}: nothing was recorded; retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} s with the same idempotencyKey`, {
    retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS,
  });

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/** Whether `error` says Temporal could not be reached in time (gRPC UNAVAILABLE or DEADLINE_EXCEEDED, at any depth). */
export function isTemporalUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return true;
    const name = (e as { name?: unknown }).name;
    if (name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return true;
  }
  return false;
}

/** `a.b[0].c` from a zod issue path. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(body)';
}
