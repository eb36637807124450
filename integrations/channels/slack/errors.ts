/**
 * Errors the Slack integration throws (the kit's channel errors). Configuration errors are thrown
 * by the factory at start (fail closed) and are final; channel errors are thrown by
 * `post`/`update`, retryable, so the activity layer retries them and, after its retries, the
 * workflow falls back to the built-in web channel. Never rename a code.
 */
import { channelErrors } from '../../kit/index.js';

const slack = channelErrors('slack', {
  retryable: {
    /** The Web API answered `ok: false` (channel_not_found, not_in_channel, invalid_auth, …). */
    ApiError: 'slack-api-error',
    /** Slack answered 429 and its Retry-After is longer than this call may wait. */
    RateLimited: 'slack-rate-limited',
    /** The Web API could not be reached (DNS, refused, timeout). */
    Unreachable: 'slack-unreachable',
    /** A ChannelRef this integration did not write. */
    BadRef: 'slack-bad-ref',
  },
});
export const SlackErrorCode = { ...slack.codes.Final, ...slack.codes.Retryable } as const;

/** An error with a stable code; messages never contain tokens or secrets. */
export class SlackIntegrationError extends slack.ChannelError {}
