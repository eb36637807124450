/**
 * The approve/deny mechanism: an incident note. PagerDuty sends `incident.annotated` for every
 * note; a note whose first line is `approve` (optionally `approve: <comment>`) or
 * `deny: <reason>` is a decision. Case-insensitive; a leading `/countersign ` is allowed.
 * Anything else (chatter, our own outcome notes) is not a decision. Acknowledging or resolving
 * an incident never decides anything.
 */
import type { DecisionValue } from '../../../core/index.js';

/** Shown on the incident so responders know what to type. */
export const DECIDE_HELP = 'Add an incident note "approve" (or "approve: <comment>") to approve, or "deny: <reason>" to deny. Acknowledging does not approve.';

/** The workflow rejects longer reasons. */
const REASON_MAX = 2000;

export interface NoteDecision {
  decision: DecisionValue;
  reason?: string;
}

const PATTERN = /^\s*(?:\/countersign\s+)?(approve|approved|deny|denied)\b\s*[:\-–—]?\s*(.*)$/i;

/** The decision a note states, or null when it states none. */
export function parseDecisionNote(content: string): NoteDecision | null {
  const [first = '', ...rest] = content.split(/\r?\n/);
  const match = PATTERN.exec(first);
  if (!match) return null;
  const decision: DecisionValue = match[1]!.toLowerCase().startsWith('approve') ? 'approve' : 'deny';
  const reason = [match[2] ?? '', ...rest].join('\n').trim().slice(0, REASON_MAX);
  return reason ? { decision, reason } : { decision };
}
