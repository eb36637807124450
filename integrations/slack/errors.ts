/**
 * Errors the Slack integration throws. Each has a stable `code`; never rename one. Configuration
 * errors are thrown by the factory at start (fail closed); channel errors are thrown by
 * `post`/`update` so the activity layer retries them and, after its retries, the workflow falls
 * back to the built-in web channel.
 */

export const SlackErrorCode = {
  /** A required variable is missing while another Slack variable is set (half-configured). */
  ConfigMissing: 'slack-config-missing',
  /** A variable is set but its value cannot be used. */
  ConfigInvalid: 'slack-config-invalid',
  /** The Web API answered `ok: false` (channel_not_found, not_in_channel, invalid_auth, …). */
  ApiError: 'slack-api-error',
  /** Slack answered 429 and its Retry-After is longer than this call may wait. */
  RateLimited: 'slack-rate-limited',
  /** The Web API could not be reached (DNS, refused, timeout). */
  Unreachable: 'slack-unreachable',
  /** A ChannelRef this integration did not write. */
  BadRef: 'slack-bad-ref',
} as const;
export type SlackErrorCode = (typeof SlackErrorCode)[keyof typeof SlackErrorCode];

/** An error with a stable {@link SlackErrorCode}. Messages never contain tokens or secrets. */
export class SlackIntegrationError extends Error {
  override readonly name = 'SlackIntegrationError';
  constructor(
    readonly code: SlackErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
