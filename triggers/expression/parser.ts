/**
 * Recursive-descent parser: tokens → AST. Precedence, tightest first: NOT, comparison/in, AND, OR.
 * Comparisons do not chain, and nesting (parentheses and NOT) is capped so no input can exhaust the stack.
 */
import { PolicyErrorCode } from '../errors.js';
import { exprError, show } from './diagnostics.js';
import { tokenize, type CmpOp, type Literal, type Token, type TokenKind } from './lexer.js';

export type Node =
  | { readonly type: 'lit'; readonly value: Literal }
  | { readonly type: 'path'; readonly path: string; readonly segments: readonly string[] }
  | { readonly type: 'not'; readonly operand: Node }
  | { readonly type: 'and' | 'or'; readonly operands: readonly Node[] }
  | { readonly type: 'cmp'; readonly op: CmpOp; readonly left: Node; readonly right: Node }
  | { readonly type: 'in'; readonly negated: boolean; readonly left: Node; readonly list: readonly Literal[] };

/** Maximum nesting of parentheses plus NOTs. */
export const MAX_DEPTH = 64;

const VALUE_HINT = 'a value is a field name (refund.amount), a number, a quoted string, true, false, null, or a parenthesised condition';

/** Parses a condition; throws only PolicyError (`expr-*` codes) with the 0-based offset of the problem. */
export function parse(source: string): Node {
  const tokens = tokenize(source);
  if (tokens.length === 1) {
    throw exprError(PolicyErrorCode.ExprEmpty, 'the condition is empty', 0, "write a condition such as `refund.amount > 50`, or an action name such as `account.modify`");
  }
  let pos = 0;
  let depth = 0;
  const peek = (ahead = 0): Token => tokens[Math.min(pos + ahead, tokens.length - 1)]!;
  const next = (): Token => tokens[pos < tokens.length - 1 ? pos++ : pos]!;
  const isComparison = () => peek().kind === 'cmp' || peek().kind === 'in' || (peek().kind === 'not' && peek(1).kind === 'in');

  const enter = (token: Token) => {
    if (++depth > MAX_DEPTH) {
      throw exprError(PolicyErrorCode.ExprSyntax, `the condition is nested too deeply (more than ${MAX_DEPTH} levels of parentheses and NOT)`, token.offset,
        'split it into simpler conditions');
    }
  };
  const unexpected = (token: Token, expected: string, hint: string) => {
    const prev = tokens[tokens.indexOf(token) - 1];
    if (token.kind === 'end') {
      const after = prev === undefined ? '' : ` after ${show(prev.text)}`;
      return exprError(PolicyErrorCode.ExprUnexpectedEnd, `the condition ends${after} where ${expected} was expected`, token.offset, hint);
    }
    return exprError(PolicyErrorCode.ExprSyntax, `expected ${expected} but found ${show(token.text)}`, token.offset, hint);
  };

  function or(): Node {
    const operands = [and()];
    while (peek().kind === 'or') { next(); operands.push(and()); }
    return operands.length === 1 ? operands[0]! : { type: 'or', operands };
  }
  function and(): Node {
    const operands = [comparison()];
    while (peek().kind === 'and') { next(); operands.push(comparison()); }
    return operands.length === 1 ? operands[0]! : { type: 'and', operands };
  }
  function comparison(): Node {
    const first = peek();
    const left = unary();
    if (!isComparison()) return left;
    const op = peek();
    const opText = op.kind === 'not' ? `${op.text} ${peek(1).text}` : op.text;
    let node: Node;
    if (op.kind === 'cmp') {
      next();
      node = { type: 'cmp', op: op.text as CmpOp, left, right: unary() };
    } else {
      const negated = next().kind === 'not';
      if (negated) next();
      node = { type: 'in', negated, left, list: list() };
    }
    if (isComparison()) {
      throw exprError(PolicyErrorCode.ExprSyntax, `comparisons cannot be chained: ${show(peek().text)} follows another comparison`, peek().offset,
        'combine them with AND, e.g. `a < b AND b < c`');
    }
    if (first.kind === 'not') {
      const negated = source.slice(tokens[tokens.indexOf(first) + 1]!.offset, tokens[pos - 1]!.end);
      throw exprError(PolicyErrorCode.ExprSyntax, `${show(first.text)} applies only to the value before ${show(opText)}, not to the comparison`, first.offset,
        `write ${first.text} (${negated}) to negate the comparison`);
    }
    return node;
  }
  function unary(): Node {
    if (peek().kind !== 'not') return primary();
    const token = next();
    enter(token);
    const operand = unary();
    depth--;
    return { type: 'not', operand };
  }
  function primary(): Node {
    const token = next();
    if (token.kind === 'lit') return { type: 'lit', value: token.value! };
    if (token.kind === 'path') return { type: 'path', path: token.text, segments: token.text.split('.') };
    if (token.kind !== '(') throw unexpected(token, 'a value', VALUE_HINT);
    enter(token);
    const inner = or();
    expect(')', `\`)\` to close the \`(\` at position ${token.offset}`, 'every `(` needs a matching `)`');
    depth--;
    return inner;
  }
  function list(): Literal[] {
    expect('[', '`[` to start the list after `in`', 'write the values as a list: `x in [1, 2]`');
    const items: Literal[] = [];
    if (peek().kind === ']') { next(); return items; }
    for (;;) {
      const item = next();
      if (item.kind !== 'lit') throw unexpected(item, 'a literal list item', 'list items must be numbers, quoted strings, true, false or null; fields are not allowed');
      items.push(item.value!);
      const sep = next();
      if (sep.kind === ']') return items;
      if (sep.kind !== ',') throw unexpected(sep, '`,` or `]`', 'separate list items with commas and close the list with `]`');
    }
  }
  function expect(kind: TokenKind, expected: string, hint: string): void {
    const token = next();
    if (token.kind !== kind) throw unexpected(token, expected, hint);
  }

  const root = or();
  const rest = peek();
  if (rest.kind === ')') {
    throw exprError(PolicyErrorCode.ExprSyntax, 'unexpected `)` with no matching `(`', rest.offset, 'remove it or add the missing `(`');
  }
  if (rest.kind !== 'end') {
    throw exprError(PolicyErrorCode.ExprSyntax, `unexpected ${show(rest.text)} after a complete condition`, rest.offset,
      'join conditions with AND or OR, and compare values with == != < <= > >= or in [...]');
  }
  return root;
}
