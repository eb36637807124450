/**
 * How activities fail. Temporal carries an activity's error to the workflow as an
 * ApplicationFailure; its `type` is our stable code (the workflow and logs match on it) and
 * `nonRetryable` follows the code's finality (core/errors.ts): Temporal retries a retryable
 * failure with the activity's retry policy and gives up at once on a final one. Never rename a code.
 */
import { ApplicationFailure } from '@temporalio/common';
import { CountersignError, errorCodes, Finality, type CodeOf } from '../core/index.js';

const codes = errorCodes(
  {
    /** No callback secret for the agent: the verdict is never sent unsigned. */
    CallbackSecretMissing: 'callback-secret-missing',
    /** callbackUrl is not an absolute http(s) URL. */
    CallbackUrlInvalid: 'callback-url-invalid',
    /** The audit log's last line cannot be read, so the chain cannot be continued. */
    AuditLogCorrupt: 'audit-log-corrupt',
    /** An activity got input it cannot act on. */
    BadActivityInput: 'bad-activity-input',
    /** An entry must be signed (`auditLog.signedEntries`) and this worker has no signing key. */
    AuditSigningKeyMissing: 'audit-signing-key-missing',
    /** A channel refused the call in a way a retry repeats (bad token, unknown channel, a 4xx). */
    ChannelRejected: 'channel-rejected',
  },
  {
    /** The callback answered with a non-2xx status. */
    CallbackHttpStatus: 'callback-http-status',
    /** The callback could not be reached (DNS, refused, reset, timeout). */
    CallbackUnreachable: 'callback-unreachable',
    /** A channel could not post, update, remind or escalate. */
    ChannelFailed: 'channel-failed',
    /** Appending to the audit log failed (disk full, permissions). */
    AuditWriteFailed: 'audit-write-failed',
  },
);
export const FinalErrorCode = codes.Final;
export const RetryableErrorCode = codes.Retryable;
export type ActivityErrorCode = CodeOf<typeof codes>;

/** The ApplicationFailure for `code`: non-retryable when the code is final. */
export function activityFailure(
  code: ActivityErrorCode,
  message: string,
  options: { details?: Record<string, unknown>; cause?: Error; nextRetryDelayMs?: number } = {},
): ApplicationFailure {
  return ApplicationFailure.create({
    type: code,
    message,
    nonRetryable: codes.finalityOf(code) === Finality.Final,
    details: options.details ? [options.details] : [],
    cause: options.cause,
    ...(options.nextRetryDelayMs !== undefined ? { nextRetryDelay: options.nextRetryDelayMs } : {}),
  });
}

/**
 * The ApplicationFailure for a failed channel call. A CountersignError says whether a retry can
 * help (`finality`) and how long to wait (`retryAfterMs`, a vendor's Retry-After); anything else
 * an SDK throws is retryable.
 */
export function channelFailure(err: unknown, message: string): ApplicationFailure {
  const cause = err instanceof Error ? err : undefined;
  if (err instanceof CountersignError && err.final) return activityFailure(FinalErrorCode.ChannelRejected, message, { ...(cause ? { cause } : {}) });
  const delay = err instanceof CountersignError && err.retryAfterMs !== undefined && err.retryAfterMs > 0 ? err.retryAfterMs : undefined;
  return activityFailure(RetryableErrorCode.ChannelFailed, message, { ...(cause ? { cause } : {}), ...(delay !== undefined ? { nextRetryDelayMs: delay } : {}) });
}
