/**
 * Errors raised while finding, installing or running the Temporal dev server. Each carries a stable
 * string `code` (for logs, exit codes and tests) and a finality: `final` when retrying the same call
 * cannot help (the operator must change something), retryable when a retry may succeed. The
 * subclasses exist for `instanceof`; their code and finality are fixed per class.
 */
import { CountersignError, Finality } from '../../core/index.js';

/** Stable codes of {@link TemporalSetupError}. */
export type TemporalSetupErrorCode =
  | 'temporal-cli-not-found'
  | 'temporal-cli-install-failed'
  | 'temporal-cli-install-locked'
  | 'temporal-server-start-failed'
  | 'temporal-dev-server-gave-up'
  | 'temporal-server-unreachable'
  | 'temporal-search-attribute-conflict'
  | 'temporal-search-attributes-missing';

/** Base class: never thrown directly. */
export abstract class TemporalSetupError extends CountersignError<TemporalSetupErrorCode> {}

type Options = { cause?: unknown };

/** A subclass whose code and finality are fixed. */
function kind(code: TemporalSetupErrorCode, finality: Finality) {
  return class extends TemporalSetupError {
    constructor(message: string, options: Options = {}) {
      super(code, message, { ...options, finality });
    }
  };
}

/** No usable `temporal` executable (TEMPORAL_CLI points nowhere, or nothing found and Go is absent). */
export class TemporalCliNotFoundError extends kind('temporal-cli-not-found', Finality.Final) {}

/** `go install` of the Temporal CLI failed; retryable when it looks like a network error. */
export class TemporalCliInstallFailedError extends TemporalSetupError {
  constructor(message: string, options: Options & { final: boolean }) {
    super('temporal-cli-install-failed', message, { cause: options.cause, finality: options.final ? Finality.Final : Finality.Retryable });
  }
}

/** Another process held the install lock for too long. */
export class TemporalCliInstallLockedError extends kind('temporal-cli-install-locked', Finality.Retryable) {}

/** `temporal server start-dev` exited early or its frontend never answered. */
export class TemporalServerStartError extends kind('temporal-server-start-failed', Finality.Retryable) {}

/**
 * The embedded dev server kept dying: too many exits within the supervisor's window. Final for
 * this process: it exits 1 so a process manager (systemd, Kubernetes) can take over.
 */
export class TemporalDevServerGaveUpError extends kind('temporal-dev-server-gave-up', Finality.Final) {}

/** A Temporal frontend (e.g. TEMPORAL_ADDRESS) could not be reached or refused an operator call. */
export class TemporalServerUnreachableError extends kind('temporal-server-unreachable', Finality.Retryable) {}

/** A custom search attribute exists with another type; only an operator can resolve it. */
export class TemporalSearchAttributeConflictError extends kind('temporal-search-attribute-conflict', Finality.Final) {}

/**
 * Custom search attributes are missing and this process may not add them (Temporal Cloud, or a
 * cluster whose authorizer refuses `AddSearchAttributes`); the message says how to add them.
 */
export class TemporalSearchAttributesMissingError extends TemporalSetupError {
  /** Name → type of each missing attribute. */
  readonly missing: Readonly<Record<string, string>>;

  constructor(message: string, options: Options & { missing: Readonly<Record<string, string>> }) {
    super('temporal-search-attributes-missing', message, { cause: options.cause, finality: Finality.Final });
    this.missing = options.missing;
  }
}
