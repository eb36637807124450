/**
 * Errors of the PagerDuty integration. Every error has a stable `code` (never renamed) and a
 * `finality`: final (retrying the same call cannot help: bad config, a 4xx the API will repeat) or
 * retryable (outage, 5xx, 429, an incident the Events API has not created yet). A 429 carries the
 * server's `Retry-After` as `retryAfterMs`.
 */
import { CountersignError, errorCodes, type CodeOf } from '../../core/index.js';

const codes = errorCodes(
  {
    /** An environment variable is missing or malformed. */
    ConfigInvalid: 'pagerduty-config-invalid',
    /** PagerDuty answered 4xx (other than 429): the request itself is wrong (bad token, bad payload). */
    Rejected: 'pagerduty-rejected',
  },
  {
    /** Network error, timeout or 5xx. */
    Unavailable: 'pagerduty-unavailable',
    /** HTTP 429: wait `retryAfterMs` before the next attempt. */
    RateLimited: 'pagerduty-rate-limited',
    /** The Events API accepted the trigger but the incident is not visible over REST yet. */
    IncidentNotFound: 'pagerduty-incident-not-found',
  },
);
export const PagerDutyFinalCode = codes.Final;
export const PagerDutyRetryableCode = codes.Retryable;
export type PagerDutyErrorCode = CodeOf<typeof codes>;

/** The one error type this integration throws; the message starts with its code. */
export class PagerDutyError extends CountersignError<PagerDutyErrorCode> {
  /** HTTP status when PagerDuty answered. */
  readonly status: number | undefined;

  constructor(code: PagerDutyErrorCode, message: string, options: { status?: number; retryAfterMs?: number } = {}) {
    super(code, `${code}: ${message}`, { finality: codes.finalityOf(code), retryAfterMs: options.retryAfterMs });
    this.status = options.status;
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
  if (status === 429) return new PagerDutyError(PagerDutyRetryableCode.RateLimited, text, { status, retryAfterMs: parseRetryAfter(retryAfter) ?? 1000 });
  if (status >= 500 || status === 408) return new PagerDutyError(PagerDutyRetryableCode.Unavailable, text, { status });
  return new PagerDutyError(PagerDutyFinalCode.Rejected, text, { status });
}
