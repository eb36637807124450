/**
 * Errors of the Zendesk integration: a stable `code` (never renamed) and a `finality`. Final:
 * retrying cannot help (bad config, a 4xx Zendesk will repeat). Retryable: outage, 5xx, 429 (with
 * Zendesk's `Retry-After` in {@link ZendeskError.retryAfterMs}). The split is in the types.
 */
import type { ChannelErrorHints, Finality } from '../channel.js';

export const ZendeskFinalCode = {
  ConfigInvalid: 'zendesk-config-invalid',
  /** Zendesk answered 4xx other than 429. */
  Rejected: 'zendesk-rejected',
} as const;
export type ZendeskFinalCode = (typeof ZendeskFinalCode)[keyof typeof ZendeskFinalCode];

export const ZendeskRetryableCode = {
  /** Network error, timeout or 5xx. */
  Unavailable: 'zendesk-unavailable',
  /** HTTP 429: wait `retryAfterMs`. */
  RateLimited: 'zendesk-rate-limited',
} as const;
export type ZendeskRetryableCode = (typeof ZendeskRetryableCode)[keyof typeof ZendeskRetryableCode];

export type ZendeskErrorCode = ZendeskFinalCode | ZendeskRetryableCode;

export class ZendeskError extends Error implements ChannelErrorHints {
  override readonly name = 'ZendeskError';

  private constructor(
    readonly code: ZendeskErrorCode,
    readonly finality: Finality,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(`${code}: ${message}`);
  }

  static final(code: ZendeskFinalCode, message: string, status?: number): ZendeskError {
    return new ZendeskError(code, 'final', message, status);
  }

  static retryable(code: ZendeskRetryableCode, message: string, status?: number, retryAfterMs?: number): ZendeskError {
    return new ZendeskError(code, 'retryable', message, status, retryAfterMs);
  }
}

/** The error for a non-2xx status (null for 2xx). `retryAfter` is the raw header (seconds). */
export function zendeskErrorForStatus(what: string, status: number, retryAfter: string | null, detail = ''): ZendeskError | null {
  if (status >= 200 && status < 300) return null;
  const text = `${what} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    const seconds = Number(retryAfter);
    return ZendeskError.retryable(ZendeskRetryableCode.RateLimited, text, status, Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000);
  }
  if (status >= 500 || status === 408) return ZendeskError.retryable(ZendeskRetryableCode.Unavailable, text, status);
  return ZendeskError.final(ZendeskFinalCode.Rejected, text, status);
}
