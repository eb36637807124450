/** Building blocks for expression errors, and the diagnosis of operators the language does not have. */
import { PolicyError, PolicyErrorCode } from '../errors.js';

/** A PolicyError for an expression; the policy loader adds file, line and column. */
export function exprError(code: PolicyErrorCode, message: string, offset: number, hint: string): PolicyError {
  return new PolicyError(code, message, { offset, hint });
}

/** Shows a character or token in a message, spelling out invisible ones. */
export function show(text: string): string {
  if (/^[\x20-\x7e]+$/.test(text)) return `\`${text}\``;
  const code = text.codePointAt(0) ?? 0;
  if (String.fromCodePoint(code) !== text) return JSON.stringify(text);
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return /\p{L}|\p{N}|\p{P}|\p{S}/u.test(text) ? `\`${text}\` (${name})` : name;
}

const VALID = 'the operators are == != < <= > >=, in [...], not in [...], AND OR NOT (or && || !)';

const SUGGESTIONS = new Map<string, string>([
  ...(['=', '==='] as const).map((op) => [op, '`==`'] as const),
  ...(['!==', '<>', '=!'] as const).map((op) => [op, '`!=`'] as const),
  ...(['=>', '>==', '=>='] as const).map((op) => [op, '`>=`'] as const),
  ...(['=<', '<=='] as const).map((op) => [op, '`<=`'] as const),
  ['>>', '`>`'], ['>>>', '`>`'], ['<<', '`<`'],
  ['&', '`&&` (or `AND`)'], ['&&&', '`&&` (or `AND`)'], ['|', '`||` (or `OR`)'], ['|||', '`||` (or `OR`)'],
]);

/** Thrown for `>>`, `=`, `===`, `<>`, `=>`, `+` …: names the operator and suggests the right one when there is one. */
export function unknownOperator(op: string, offset: number): PolicyError {
  const suggestion = SUGGESTIONS.get(op);
  const message = `unknown operator \`${op}\`` + (suggestion === undefined ? '' : `; did you mean ${suggestion}?`);
  const hint = /^[-+*/%^~?:]+$/.test(op)
    ? `expressions cannot compute values; compare a field with a literal instead (a \`-\` inside a name is only allowed in action-name patterns); ${VALID}`
    : VALID;
  return new PolicyError(PolicyErrorCode.ExprUnknownOperator, message, { offset, hint });
}
