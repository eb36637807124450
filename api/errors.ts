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

/** `a.b[0].c` from a zod issue path. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out || '(body)';
}
