/**
 * Incident notes as decisions, when the operator has switched them on
 * (`PAGERDUTY_NOTE_DECISIONS=trusted`). Nothing PagerDuty sends proves that a person wrote a note:
 * any general-access REST key with `From: <anyone's email>` writes notes as that person, and the
 * webhook's `agent` is whoever the header named. So by default a note never decides; with the
 * switch on, only a strict first line does: `approve`, or `deny: <reason>`, the whole line,
 * case-insensitive. "approve?", "Denied access on db-3…", a bare `deny` or a note PagerDuty
 * trimmed decide nothing. Acknowledging or resolving an incident never decides anything.
 */
import type { DecisionValue } from '../../../core/index.js';

/** Shown on the incident so responders know how to decide. */
export const DECIDE_HELP = 'Decide in Countersign through the link on this incident. Acknowledging does not approve.';

/** Shown instead when notes decide (the operator trusts every holder of a REST key). */
export const DECIDE_HELP_NOTES = 'Add an incident note whose first line is exactly "approve", or "deny: <reason>". Acknowledging does not approve.';

/** The workflow rejects longer reasons. */
const REASON_MAX = 2000;

export interface NoteDecision {
  decision: DecisionValue;
  reason?: string;
}

/** What a note's first line may be to decide. */
const APPROVE = /^approve$/i;
const DENY = /^deny:\s*(\S.*)$/i;
/** A first line that reads like someone trying to decide (to record the attempt), strict or not. */
const INTENT = /^\s*(?:\/countersign\s+)?(approve|approved|deny|denied)\b/i;

/** The decision a note states under the strict grammar, or null. `trimmed`: PagerDuty cut the note short. */
export function parseDecisionNote(content: string, trimmed = false): NoteDecision | null {
  if (trimmed) return null;
  const [first = '', ...rest] = content.split(/\r?\n/);
  const line = first.trim();
  if (APPROVE.test(line)) {
    const comment = rest.join('\n').trim().slice(0, REASON_MAX);
    return comment ? { decision: 'approve', reason: comment } : { decision: 'approve' };
  }
  const deny = DENY.exec(line);
  if (deny) return { decision: 'deny', reason: [deny[1]!, ...rest].join('\n').trim().slice(0, REASON_MAX) };
  return null;
}

/** Whether a note reads like an attempt to decide (its first word approve/deny), strict or not. */
export function looksLikeDecision(content: string): boolean {
  return INTENT.test(content.split(/\r?\n/)[0] ?? '');
}
