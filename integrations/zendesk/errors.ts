/**
 * Errors of the Zendesk integration: a stable `code` (never renamed) and a `finality`. Final:
 * retrying cannot help (bad config, a 4xx Zendesk will repeat). Retryable: outage, 5xx, 429 (with
 * Zendesk's `Retry-After` in `retryAfterMs`).
 */
import { CountersignError, errorCodes, type CodeOf } from '../../core/index.js';

const codes = errorCodes(
  {
    ConfigInvalid: 'zendesk-config-invalid',
    /** Zendesk answered 4xx other than 429. */
    Rejected: 'zendesk-rejected',
  },
  {
    /** Network error, timeout or 5xx. */
    Unavailable: 'zendesk-unavailable',
    /** HTTP 429: wait `retryAfterMs`. */
    RateLimited: 'zendesk-rate-limited',
  },
);
export const ZendeskFinalCode = codes.Final;
export const ZendeskRetryableCode = codes.Retryable;
export type ZendeskErrorCode = CodeOf<typeof codes>;

/** The one error type this integration throws; the message starts with its code. */
export class ZendeskError extends CountersignError<ZendeskErrorCode> {
  readonly status: number | undefined;

  constructor(code: ZendeskErrorCode, message: string, options: { status?: number; retryAfterMs?: number } = {}) {
    super(code, `${code}: ${message}`, { finality: codes.finalityOf(code), retryAfterMs: options.retryAfterMs });
    this.status = options.status;
  }
}

/** The error for a non-2xx status (null for 2xx). `retryAfter` is the raw header (seconds). */
export function zendeskErrorForStatus(what: string, status: number, retryAfter: string | null, detail = ''): ZendeskError | null {
  if (status >= 200 && status < 300) return null;
  const text = `${what} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    const seconds = Number(retryAfter);
    return new ZendeskError(ZendeskRetryableCode.RateLimited, text, { status, retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000 });
  }
  if (status >= 500 || status === 408) return new ZendeskError(ZendeskRetryableCode.Unavailable, text, { status });
  return new ZendeskError(ZendeskFinalCode.Rejected, text, { status });
}
