/**
 * Errors raised while finding, installing or running the Temporal dev server. Each carries a stable
 * string `code` (for logs, exit codes and tests) and `final`: `true` when retrying the same call
 * cannot help (the operator must change something), `false` when a retry may succeed.
 */

/** Stable codes of {@link TemporalSetupError}. */
export type TemporalSetupErrorCode =
  | 'temporal-cli-not-found'
  | 'temporal-cli-install-failed'
  | 'temporal-cli-install-locked'
  | 'temporal-server-start-failed'
  | 'temporal-server-unreachable'
  | 'temporal-search-attribute-conflict'
  | 'temporal-search-attributes-missing';

/** Base class: never thrown directly. */
export abstract class TemporalSetupError extends Error {
  abstract readonly code: TemporalSetupErrorCode;
  /** True when the same call cannot succeed without an operator change. */
  abstract readonly final: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No usable `temporal` executable (TEMPORAL_CLI points nowhere, or nothing found and Go is absent). */
export class TemporalCliNotFoundError extends TemporalSetupError {
  readonly code = 'temporal-cli-not-found';
  readonly final = true;
}

/** `go install` of the Temporal CLI failed; `final` is false when it looks like a network error. */
export class TemporalCliInstallFailedError extends TemporalSetupError {
  readonly code = 'temporal-cli-install-failed';
  readonly final: boolean;

  constructor(message: string, options: { cause?: unknown; final: boolean }) {
    super(message, options);
    this.final = options.final;
  }
}

/** Another process held the install lock for too long. */
export class TemporalCliInstallLockedError extends TemporalSetupError {
  readonly code = 'temporal-cli-install-locked';
  readonly final = false;
}

/** `temporal server start-dev` exited early or its frontend never answered. */
export class TemporalServerStartError extends TemporalSetupError {
  readonly code = 'temporal-server-start-failed';
  readonly final = false;
}

/** A Temporal frontend (e.g. TEMPORAL_ADDRESS) could not be reached or refused an operator call. */
export class TemporalServerUnreachableError extends TemporalSetupError {
  readonly code = 'temporal-server-unreachable';
  readonly final = false;
}

/** A custom search attribute exists with another type; only an operator can resolve it. */
export class TemporalSearchAttributeConflictError extends TemporalSetupError {
  readonly code = 'temporal-search-attribute-conflict';
  readonly final = true;
}

/**
 * Custom search attributes are missing and this process may not add them (Temporal Cloud, or a
 * cluster whose authorizer refuses `AddSearchAttributes`); the message says how to add them.
 */
export class TemporalSearchAttributesMissingError extends TemporalSetupError {
  readonly code = 'temporal-search-attributes-missing';
  readonly final = true;
  /** Name → type of each missing attribute. */
  readonly missing: Readonly<Record<string, string>>;

  constructor(message: string, options: { cause?: unknown; missing: Readonly<Record<string, string>> }) {
    super(message, options);
    this.missing = options.missing;
  }
}
