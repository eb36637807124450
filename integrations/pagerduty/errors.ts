/**
 * Errors of the PagerDuty integration. Every error has a stable `code` (never renamed) and a
 * `finality`: Final (retrying the same call cannot help: bad config, a 4xx the API will repeat) or
 * Retryable (outage, 5xx, 429, an incident the Events API has not created yet). The split is in
 * the types: {@link PagerDutyError.final} only takes final codes, {@link PagerDutyError.retryable}
 * only retryable ones. A 429 carries the server's `Retry-After` as {@link PagerDutyError.retryAfterMs}.
 */
import type { ChannelErrorHints, Finality } from '../channel.js';

export const PagerDutyFinalCode = {
  /** An environment variable is missing or malformed. */
  ConfigInvalid: 'pagerduty-config-invalid',
  /** PagerDuty answered 4xx (other than 429): the request itself is wrong (bad token, bad payload). */
  Rejected: 'pagerduty-rejected',
} as const;
export type PagerDutyFinalCode = (typeof PagerDutyFinalCode)[keyof typeof PagerDutyFinalCode];

export const PagerDutyRetryableCode = {
  /** Network error, timeout or 5xx. */
  Unavailable: 'pagerduty-unavailable',
  /** HTTP 429: wait `retryAfterMs` before the next attempt. */
  RateLimited: 'pagerduty-rate-limited',
  /** The Events API accepted the trigger but the incident is not visible over REST yet. */
  IncidentNotFound: 'pagerduty-incident-not-found',
} as const;
export type PagerDutyRetryableCode = (typeof PagerDutyRetryableCode)[keyof typeof PagerDutyRetryableCode];

export type PagerDutyErrorCode = PagerDutyFinalCode | PagerDutyRetryableCode;

/** The one error type this integration throws. */
export class PagerDutyError extends Error implements ChannelErrorHints {
  override readonly name = 'PagerDutyError';

  private constructor(
    readonly code: PagerDutyErrorCode,
    readonly finality: Finality,
    message: string,
    /** HTTP status when PagerDuty answered. */
    readonly status?: number,
    /** For 429: how long PagerDuty asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(`${code}: ${message}`);
  }

  static final(code: PagerDutyFinalCode, message: string, status?: number): PagerDutyError {
    return new PagerDutyError(code, 'final', message, status);
  }

  static retryable(code: PagerDutyRetryableCode, message: string, status?: number, retryAfterMs?: number): PagerDutyError {
    return new PagerDutyError(code, 'retryable', message, status, retryAfterMs);
  }
}

/** `Retry-After` in ms (delta-seconds or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Maps an HTTP status to the error to throw, or null for 2xx. */
export function errorForStatus(what: string, status: number, retryAfter: string | null, detail = ''): PagerDutyError | null {
  if (status >= 200 && status < 300) return null;
  const text = `${what} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) return PagerDutyError.retryable(PagerDutyRetryableCode.RateLimited, text, status, parseRetryAfter(retryAfter) ?? 1000);
  if (status >= 500 || status === 408) return PagerDutyError.retryable(PagerDutyRetryableCode.Unavailable, text, status);
  return PagerDutyError.final(PagerDutyFinalCode.Rejected, text, status);
}
