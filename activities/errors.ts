/**
 * Errors thrown by activities. Each has a stable `code` (the ApplicationFailure `type`, so the
 * workflow and logs can match on it) and is either Final (retrying the same call cannot help:
 * `ApplicationFailure.nonRetryable`) or Retryable (Temporal retries it with the activity's policy).
 * The split is in the types: {@link finalFailure} only takes final codes, {@link retryableFailure}
 * only retryable ones. Never rename a code.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ChannelErrorHints, Finality } from '../integrations/channel.js';

export const FinalErrorCode = {
  /** No callback secret for the agent: the verdict is never sent unsigned. */
  CallbackSecretMissing: 'callback-secret-missing',
  /** callbackUrl is not an absolute http(s) URL. */
  CallbackUrlInvalid: 'callback-url-invalid',
  /** The audit log's last line cannot be read, so the chain cannot be continued. */
  AuditLogCorrupt: 'audit-log-corrupt',
  /** An activity got input it cannot act on. */
  BadActivityInput: 'bad-activity-input',
  /** A channel refused the call in a way a retry repeats (bad token, unknown channel, a 4xx). */
  ChannelRejected: 'channel-rejected',
} as const;
export type FinalErrorCode = (typeof FinalErrorCode)[keyof typeof FinalErrorCode];

export const RetryableErrorCode = {
  /** The callback answered with a non-2xx status. */
  CallbackHttpStatus: 'callback-http-status',
  /** The callback could not be reached (DNS, refused, reset, timeout). */
  CallbackUnreachable: 'callback-unreachable',
  /** A channel could not post, update, remind or escalate. */
  ChannelFailed: 'channel-failed',
  /** Appending to the audit log failed (disk full, permissions). */
  AuditWriteFailed: 'audit-write-failed',
} as const;
export type RetryableErrorCode = (typeof RetryableErrorCode)[keyof typeof RetryableErrorCode];

export type ActivityErrorCode = FinalErrorCode | RetryableErrorCode;
export type { Finality };

const FINAL = new Set<string>(Object.values(FinalErrorCode));

export function finalityOf(code: ActivityErrorCode): Finality {
  return FINAL.has(code) ? 'final' : 'retryable';
}

/** A non-retryable failure: Temporal gives up at once and the workflow decides what to record. */
export function finalFailure(code: FinalErrorCode, message: string, details?: Record<string, unknown>, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true, details: details ? [details] : [], cause });
}

/** A retryable failure: Temporal retries with the activity's retry policy. */
export function retryableFailure(code: RetryableErrorCode, message: string, details?: Record<string, unknown>, cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: false, details: details ? [details] : [], cause });
}

/**
 * The ApplicationFailure for a failed channel call: final when the integration says a retry cannot
 * help; otherwise retryable, waiting the vendor's `Retry-After` before the next attempt.
 */
export function channelFailure(err: unknown, message: string): ApplicationFailure {
  // Whatever was thrown: read the hints as unknown values, never trust their types.
  const hints = (err ?? {}) as { [K in keyof ChannelErrorHints]?: unknown };
  const cause = err instanceof Error ? err : undefined;
  if (hints.finality === 'final') return finalFailure(FinalErrorCode.ChannelRejected, message, undefined, cause);
  const delay = typeof hints.retryAfterMs === 'number' && hints.retryAfterMs > 0 ? hints.retryAfterMs : undefined;
  return ApplicationFailure.create({
    type: RetryableErrorCode.ChannelFailed, message, nonRetryable: false, cause,
    ...(delay !== undefined ? { nextRetryDelay: delay } : {}),
  });
}
