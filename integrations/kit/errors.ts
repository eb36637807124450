/**
 * The errors of a channel, declared once for every channel: its configuration is missing or
 * invalid (final: the service does not start), plus the channel's own codes. A channel reached
 * over a vendor's REST API gets the HTTP ones too ({@link vendorErrors}): the vendor rejected the
 * request with a 4xx it will repeat (final), it is unavailable (network, timeout, 5xx, 408:
 * retryable), or it rate-limited us (429: retryable after its `Retry-After`). Every message
 * starts with its code.
 */
import { CountersignError, errorCodes, type CodeOf } from '../../core/index.js';

/** `Retry-After` in ms (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** When a 429 says nothing about when to come back. */
const DEFAULT_RETRY_AFTER_MS = 1000;

export interface ChannelErrorOptions {
  /** HTTP status when the vendor answered. */
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

/** The codes `<channel>-config-missing`, `<channel>-config-invalid` plus `extra`, and the channel's error class. */
export function channelErrors<const C extends string, const F extends Record<string, string> = {}, const R extends Record<string, string> = {}>(
  channel: C,
  extra: { final?: F; retryable?: R } = {},
) {
  const codes = errorCodes(
    { ConfigMissing: `${channel}-config-missing`, ConfigInvalid: `${channel}-config-invalid`, ...(extra.final ?? ({} as F)) } as const,
    { ...(extra.retryable ?? ({} as R)) } as const,
  );
  type Code = CodeOf<typeof codes>;

  /** The channel's one error type. */
  class ChannelError extends CountersignError<Code> {
    readonly status: number | undefined;

    constructor(code: Code, message: string, options: ChannelErrorOptions = {}) {
      super(code, `${code}: ${message}`, { finality: codes.finalityOf(code), retryAfterMs: options.retryAfterMs, cause: options.cause });
      this.status = options.status;
    }
  }

  return { codes, ChannelError };
}

/** {@link channelErrors} plus `<vendor>-rejected`, `-unavailable`, `-rate-limited`, and `forStatus` for HTTP answers. */
export function vendorErrors<const V extends string, const F extends Record<string, string> = {}, const R extends Record<string, string> = {}>(
  vendor: V,
  extra: { final?: F; retryable?: R } = {},
) {
  const { codes, ChannelError } = channelErrors(vendor, {
    final: { Rejected: `${vendor}-rejected`, ...(extra.final ?? ({} as F)) } as const,
    retryable: { Unavailable: `${vendor}-unavailable`, RateLimited: `${vendor}-rate-limited`, ...(extra.retryable ?? ({} as R)) } as const,
  });
  type Code = CodeOf<typeof codes>;

  class VendorError extends ChannelError {
    /** The error for an HTTP answer (`what` names the call), or null for 2xx; an instance of the class it is called on. */
    static forStatus<E extends VendorError>(this: new (code: Code, message: string, options?: ChannelErrorOptions) => E, what: string, status: number, retryAfter: string | null, detail = ''): E | null {
      if (status >= 200 && status < 300) return null;
      const text = `${what} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
      if (status === 429) return new this(codes.Retryable.RateLimited as Code, text, { status, retryAfterMs: parseRetryAfter(retryAfter) ?? DEFAULT_RETRY_AFTER_MS });
      if (status >= 500 || status === 408) return new this(codes.Retryable.Unavailable as Code, text, { status });
      return new this(codes.Final.Rejected as Code, text, { status });
    }
  }

  return { codes, VendorError };
}
