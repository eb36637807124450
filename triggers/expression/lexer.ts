/**
 * Lexer for the policy expression language: source text → tokens with 0-based offsets.
 * Every failure is a {@link PolicyError} positioned at the offending character.
 */
import { PolicyErrorCode } from '../errors.js';
import { exprError, show, unknownOperator } from './diagnostics.js';

export type Literal = string | number | boolean | null;
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type TokenKind = 'lit' | 'path' | 'cmp' | 'and' | 'or' | 'not' | 'in' | '(' | ')' | '[' | ']' | ',' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The text as written (`&&`, `And`, `'a\'b'`); `''` for `end`. */
  readonly text: string;
  readonly offset: number;
  readonly end: number;
  /** Set for `lit` tokens. */
  readonly value?: Literal;
}

// Maps, not object literals: a word such as `constructor` must not find an inherited property.
const WORDS = new Map<string, { kind: TokenKind; value?: Literal }>([
  ['and', { kind: 'and' }], ['or', { kind: 'or' }], ['not', { kind: 'not' }], ['in', { kind: 'in' }],
  ['true', { kind: 'lit', value: true }], ['false', { kind: 'lit', value: false }], ['null', { kind: 'lit', value: null }],
]);
const OPERATORS = new Map<string, TokenKind>([
  ['==', 'cmp'], ['!=', 'cmp'], ['<', 'cmp'], ['<=', 'cmp'], ['>', 'cmp'], ['>=', 'cmp'], ['&&', 'and'], ['||', 'or'], ['!', 'not'],
]);
const ESCAPES = new Map([['\\', '\\'], ["'", "'"], ['"', '"'], ['n', '\n'], ['t', '\t']]);
const OPERATOR_CHARS = '=<>!&|';
const ARITHMETIC_CHARS = '+-*/%^~?:';

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isWordStart = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isWordChar = (c: string | undefined) => isWordStart(c) || isDigit(c);

/** Splits `src` into tokens, ending with an `end` token placed just after the last real token. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: Literal) =>
    out.push(value === undefined ? { kind, text: src.slice(start, end), offset: start, end } : { kind, text: src.slice(start, end), offset: start, end, value });
  while (i < src.length) {
    const c = src[i];
    const start = i;
    if (isSpace(c)) { i++; continue; }
    if (isWordStart(c)) {
      i = wordEnd(src, i);
      const word = WORDS.get(src.slice(start, i).toLowerCase());
      if (word !== undefined && !src.slice(start, i).includes('.')) push(word.kind, start, i, word.value);
      else push('path', start, i);
    } else if (isDigit(c) || (c === '-' && isDigit(src[i + 1]))) {
      i = numberEnd(src, i);
      push('lit', start, i, Number(src.slice(start, i)));
    } else if (c === "'" || c === '"') {
      const [end, value] = readString(src, i);
      i = end;
      push('lit', start, i, value);
    } else if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',') {
      push(c, start, ++i);
    } else if (OPERATOR_CHARS.includes(c!)) {
      while (i < src.length && OPERATOR_CHARS.includes(src[i]!)) i++;
      splitOperatorRun(src.slice(start, i), start, push);
    } else if (ARITHMETIC_CHARS.includes(c!)) {
      while (i < src.length && ARITHMETIC_CHARS.includes(src[i]!)) i++;
      throw unknownOperator(src.slice(start, i), start);
    } else {
      const ch = String.fromCodePoint(src.codePointAt(i)!);
      throw exprError(PolicyErrorCode.ExprSyntax, `unexpected character ${show(ch)}`, i,
        'expressions use field names, numbers, quoted strings, == != < <= > >=, in [...], AND OR NOT and parentheses');
    }
  }
  const last = out[out.length - 1];
  out.push({ kind: 'end', text: '', offset: last?.end ?? 0, end: last?.end ?? 0 });
  return out;
}

/** `==!x` is `==` then `!`; any other run of operator characters must be one known operator. */
function splitOperatorRun(run: string, start: number, push: (k: TokenKind, s: number, e: number) => void): void {
  let body = run.length;
  while (body > 0 && run[body - 1] === '!') body--;
  const head = run.slice(0, body);
  const headKind = OPERATORS.get(head);
  if (body > 0 && headKind === undefined) {
    const whole = OPERATORS.get(run);
    if (whole === undefined) throw unknownOperator(run, start);
    push(whole, start, start + run.length);
    return;
  }
  if (headKind !== undefined) push(headKind, start, start + body);
  for (let k = body; k < run.length; k++) push('not', start + k, start + k + 1);
}

function wordEnd(src: string, i: number): number {
  while (isWordChar(src[i])) i++;
  while (src[i] === '.') {
    if (!isWordChar(src[i + 1])) {
      const star = src[i + 1] === '*';
      throw exprError(PolicyErrorCode.ExprSyntax,
        star ? '`*` is only allowed in action-name patterns' : 'field name ends with `.`', i + (star ? 1 : 0),
        star ? 'a trigger with no operator, such as `refund.*`, matches action names; conditions compare fields' : 'write a complete dotted field name, such as `refund.amount`');
    }
    i++;
    while (isWordChar(src[i])) i++;
  }
  return i;
}

function numberEnd(src: string, start: number): number {
  let i = start + 1;
  while (isDigit(src[i])) i++;
  if (src[i] === '.' && isDigit(src[i + 1])) for (i++; isDigit(src[i]); ) i++;
  if (isWordChar(src[i]) || src[i] === '.') {
    let j = i;
    while (isWordChar(src[j]) || src[j] === '.') j++;
    throw exprError(PolicyErrorCode.ExprSyntax, `${show(src.slice(start, j))} is not a valid number`, start,
      'numbers look like 42, -7 or 0.5; field names start with a letter or `_`');
  }
  if (!Number.isFinite(Number(src.slice(start, i)))) {
    throw exprError(PolicyErrorCode.ExprSyntax, 'number is too large', start, 'use a number below 1e308');
  }
  return i;
}

function readString(src: string, start: number): [end: number, value: string] {
  const quote = src[start];
  let value = '';
  let chunk = start + 1;
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i];
    if (c === quote) return [i + 1, value + src.slice(chunk, i)];
    if (c !== '\\' || i + 1 >= src.length) continue;
    const escaped = ESCAPES.get(src[i + 1]!);
    if (escaped === undefined) {
      throw exprError(PolicyErrorCode.ExprSyntax, `unknown escape ${show(src.slice(i, i + 2))} in a string`, i,
        "the escapes are \\\\ \\' \\\" \\n and \\t");
    }
    value += src.slice(chunk, i) + escaped;
    chunk = ++i + 1;
  }
  throw exprError(PolicyErrorCode.ExprUnterminatedString, `string starting with ${quote} is never closed`, start,
    `end the string with a matching ${quote}; write \\${quote} for a ${quote} inside it`);
}
