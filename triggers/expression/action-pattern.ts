/**
 * Action-name patterns: `account.modify`, `escalate.to-human`, `refund.*`, `*`. `*` matches any run
 * of characters, dots included, possibly empty (`refund.*` matches `refund.full` and `refund.a.b`,
 * not `refund`). Every other character matches itself.
 */
import { PolicyErrorCode } from '../errors.js';
import { exprError } from './diagnostics.js';

/** The shape of a trigger that is an action-name pattern rather than a condition. */
export const ACTION_PATTERN = /^[A-Za-z0-9_*-]+(\.[A-Za-z0-9_*-]+)*$/;

/**
 * Compiles a name pattern for `action:`/`playbook:` names, resources and triggers. Patterns without
 * `*` compile to plain string equality; `prefix*` and `*suffix` to startsWith/endsWith; others to a
 * linear-time glob matcher (no RegExp, so no catastrophic backtracking). The matcher never throws.
 * @throws PolicyError `expr-empty` for an empty pattern.
 */
export function compileActionPattern(pattern: string): (action: string) => boolean {
  if (pattern.length === 0) {
    throw exprError(PolicyErrorCode.ExprEmpty, 'the action pattern is empty', 0, 'write an action name such as `account.modify`, or `refund.*`');
  }
  const glob = pattern.replace(/\*{2,}/g, '*');
  const star = glob.indexOf('*');
  if (star === -1) return (action) => action === glob;
  if (glob === '*') return (action) => typeof action === 'string';
  if (star === glob.length - 1) {
    const prefix = glob.slice(0, -1);
    return (action) => typeof action === 'string' && action.startsWith(prefix);
  }
  if (star === 0 && glob.indexOf('*', 1) === -1) {
    const suffix = glob.slice(1);
    return (action) => typeof action === 'string' && action.endsWith(suffix);
  }
  return (action) => typeof action === 'string' && globMatch(glob, action);
}

const STAR = 42;

/** Greedy wildcard match with backtracking to the last `*`: O(pattern × text), allocation-free. */
function globMatch(pattern: string, text: string): boolean {
  let p = 0, t = 0, starP = -1, starT = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern.charCodeAt(p) === STAR) {
      starP = p++;
      starT = t;
    } else if (p < pattern.length && pattern.charCodeAt(p) === text.charCodeAt(t)) {
      p++;
      t++;
    } else if (starP !== -1) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}
