/**
 * The one error base. Every error Countersign raises carries a stable `code` (logs, HTTP bodies,
 * exit codes and tests match on it; never rename one) and a {@link Finality}: `final` when the
 * same call would fail the same way (bad input, bad configuration, a refusal), `retryable` when
 * trying again may succeed (an outage, a timeout, a 429 — then `retryAfterMs` says how long to
 * wait). Each area declares its codes with {@link errorCodes} and subclasses
 * {@link CountersignError} once.
 */

export const Finality = { Final: 'final', Retryable: 'retryable' } as const;
export type Finality = (typeof Finality)[keyof typeof Finality];

export interface CountersignErrorOptions {
  /** Default `final`. */
  readonly finality?: Finality;
  /** For retryable errors: how long the next attempt should wait (a vendor's `Retry-After`). */
  readonly retryAfterMs?: number | undefined;
  /** Structured facts for machines (field issues, the id of an existing action, …). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** Base of every Countersign error: `code`, `finality`, `retryAfterMs`, `details`, `cause`. */
export class CountersignError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly finality: Finality;
  readonly retryAfterMs: number | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: Code, message: string, options: CountersignErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.finality = options.finality ?? Finality.Final;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }

  /** True when retrying the same call cannot help: something must change first. */
  get final(): boolean {
    return this.finality === Finality.Final;
  }

  /** True when the same call may succeed later. */
  get retryable(): boolean {
    return this.finality === Finality.Retryable;
  }
}

/** An area's error codes, split by finality; `finalityOf(code)` answers which side a code is on. */
export interface ErrorCodes<F extends Record<string, string>, R extends Record<string, string>> {
  readonly Final: F;
  readonly Retryable: R;
  finalityOf(code: F[keyof F] | R[keyof R]): Finality;
}

/** The union of an {@link ErrorCodes}' code strings. */
export type CodeOf<E> = E extends ErrorCodes<infer F, infer R> ? F[keyof F] | R[keyof R] : never;

/**
 * Declares an area's codes once, split by finality, so a code's finality is never restated at a
 * throw site: `const Codes = errorCodes({ ConfigInvalid: 'x-config-invalid' }, { Unavailable: 'x-unavailable' })`.
 */
export function errorCodes<const F extends Record<string, string>, const R extends Record<string, string>>(final: F, retryable: R): ErrorCodes<F, R> {
  const retry = new Set<string>(Object.values(retryable));
  return {
    Final: Object.freeze(final),
    Retryable: Object.freeze(retryable),
    finalityOf: (code) => (retry.has(code) ? Finality.Retryable : Finality.Final),
  };
}

