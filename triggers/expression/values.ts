/** Shared value and truth-code definitions for the expression evaluator. */

/** What a {@link RootResolver} returns for an absent field. */
export const MISSING: unique symbol = Symbol('countersign.expression.missing');
/** Resolves a path's FIRST segment against the input; must be a static function (no per-call closure). */
export type RootResolver = (input: unknown, name: string) => unknown;

/** Internal truth codes; FALSE_UNSURE is a false reached after something unknown (see compile.ts). */
export const FALSE = 0, TRUE = 1, UNKNOWN = 2, FALSE_UNSURE = 3;
export type Code = typeof FALSE | typeof TRUE | typeof UNKNOWN | typeof FALSE_UNSURE;
export type Sink = string[] | null;
export type Evaluator = (input: unknown, sink: Sink) => Code;
export type Reader = (input: unknown, sink: Sink) => unknown;
