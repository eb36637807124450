/**
 * Errors raised while loading and compiling a policy. Every one is final: the same input fails
 * the same way, so callers report it and keep the last good policy instead of retrying.
 */
import { CountersignError } from '../core/index.js';

/** Stable, documented error codes. External tools match on these strings; never rename one. */
export const PolicyErrorCode = {
  YamlSyntax: 'yaml-syntax',
  UnknownKey: 'unknown-key',
  InvalidValue: 'invalid-value',
  MissingField: 'missing-field',
  UnknownGroup: 'unknown-group',
  UnknownChannel: 'unknown-channel',
  DuplicateBlueprint: 'duplicate-blueprint',
  /** An agent in the service config is bound to a blueprint no policy defines. */
  UnknownBlueprint: 'unknown-blueprint',
  BadDuration: 'bad-duration',
  BadChangeWindow: 'bad-change-window',
  UnknownTimeZone: 'unknown-time-zone',
  ExprSyntax: 'expr-syntax',
  ExprUnterminatedString: 'expr-unterminated-string',
  ExprUnknownOperator: 'expr-unknown-operator',
  ExprUnexpectedEnd: 'expr-unexpected-end',
  ExprEmpty: 'expr-empty',
  BadRequest: 'bad-request',
  Io: 'io',
} as const;
export type PolicyErrorCode = (typeof PolicyErrorCode)[keyof typeof PolicyErrorCode];

/** Where an error sits. `line` and `column` are 1-based; `offset` is 0-based inside `source`. */
export interface PolicyErrorContext {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path of the YAML node, e.g. `security.approvalWorkflows[0].trigger`. */
  path?: string;
  /** The policy's `blueprint:` name, when known. */
  policy?: string;
  /** 0-based offset inside an expression, duration or window string. */
  offset?: number;
  /** What the author can do about it. */
  hint?: string;
  cause?: unknown;
}

/** One problem in one policy file, positioned as precisely as the input allows. */
export class PolicyError extends CountersignError<PolicyErrorCode> {
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;
  path: string | undefined;
  policy: string | undefined;
  offset: number | undefined;
  readonly hint: string | undefined;

  constructor(code: PolicyErrorCode, message: string, context: PolicyErrorContext = {}) {
    super(code, message, { cause: context.cause });
    this.file = context.file;
    this.line = context.line;
    this.column = context.column;
    this.path = context.path;
    this.policy = context.policy;
    this.offset = context.offset;
    this.hint = context.hint;
  }

  /** `file:line:col: code: message` — the one-line form `countersign policy lint` prints. */
  format(): string {
    const where = `${this.file ?? '<policy>'}:${this.line ?? 0}:${this.column ?? 0}`;
    return `${where}: ${this.code}: ${this.message}`;
  }
}

/** Thrown by the loader when a file has one or more problems; `errors` lists them in file order. */
export class PolicyLoadError extends CountersignError<'policy-invalid'> {
  readonly file: string;
  readonly errors: readonly PolicyError[];

  constructor(file: string, errors: readonly PolicyError[]) {
    const first = errors[0];
    super('policy-invalid', `${file}: ${errors.length} problem${errors.length === 1 ? '' : 's'}` + (first ? ` (first: ${first.format()})` : ''));
    this.file = file;
    this.errors = errors;
  }
}
