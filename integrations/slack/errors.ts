/**
 * Errors the Slack integration throws. Each has a stable `code`; never rename one. Configuration
 * errors are thrown by the factory at start (fail closed) and are final; channel errors are
 * thrown by `post`/`update`, retryable, so the activity layer retries them and, after its
 * retries, the workflow falls back to the built-in web channel.
 */
import { CountersignError, errorCodes, type CodeOf } from '../../core/index.js';

const codes = errorCodes(
  {
    /** A required variable is missing while another Slack variable is set (half-configured). */
    ConfigMissing: 'slack-config-missing',
    /** A variable is set but its value cannot be used. */
    ConfigInvalid: 'slack-config-invalid',
  },
  {
    /** The Web API answered `ok: false` (channel_not_found, not_in_channel, invalid_auth, …). */
    ApiError: 'slack-api-error',
    /** Slack answered 429 and its Retry-After is longer than this call may wait. */
    RateLimited: 'slack-rate-limited',
    /** The Web API could not be reached (DNS, refused, timeout). */
    Unreachable: 'slack-unreachable',
    /** A ChannelRef this integration did not write. */
    BadRef: 'slack-bad-ref',
  },
);
export const SlackErrorCode = { ...codes.Final, ...codes.Retryable } as const;
export type SlackErrorCode = CodeOf<typeof codes>;

/** An error with a stable {@link SlackErrorCode}. Messages never contain tokens or secrets. */
export class SlackIntegrationError extends CountersignError<SlackErrorCode> {
  constructor(code: SlackErrorCode, message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(code, message, { ...options, finality: codes.finalityOf(code) });
  }
}
