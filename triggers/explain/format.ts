/**
 * Output formatting for `countersign policy …`: errors in the lint format and decisions for people.
 */
import type { Decision } from '../../core/index.js';
import { formatDuration } from '../duration.js';
import type { PolicyError } from '../errors.js';

/** `file:line:col: code: message`, then the hint (if any) on the next line indented by two spaces. */
export function formatError(error: PolicyError): string {
  return error.hint ? `${error.format()}\n  ${error.hint}` : error.format();
}

/** Errors in file order, one block per error. */
export function formatErrors(errors: readonly PolicyError[]): string {
  return errors.map(formatError).join('\n');
}

function seconds(value: number | null): string {
  if (value === null) return 'none';
  try {
    return `${formatDuration(value)} (${value}s)`;
  } catch {
    return `${value}s`;
  }
}

/** A rule reference as `path (file:line)`, or `path` when no node decided. */
export function formatRule(decision: Decision, file: string): string {
  const { path, line } = decision.rule;
  return line > 0 ? `${path} (${file}:${line})` : path || '(none)';
}

/**
 * The decision for a human: verdict first, then the route (only when approval is required), the
 * deciding rule, the reason and the numbered explanation.
 */
export function formatDecision(decision: Decision, file: string): string {
  const rows: [string, string][] = [['verdict', decision.verdict]];
  if (decision.verdict === 'require_approval') {
    rows.push(['approvers', decision.approvers.length > 0 ? decision.approvers.join(', ') : '(none)']);
    rows.push(['channel', decision.channel]);
    rows.push(['quorum', String(decision.quorum)]);
    rows.push(['sla', seconds(decision.slaSeconds)]);
    if (decision.remindEverySeconds !== null) rows.push(['remind', `every ${seconds(decision.remindEverySeconds)}`]);
    if (decision.escalateTo !== null) rows.push(['escalate', `to ${decision.escalateTo} after ${seconds(decision.escalateAfterSeconds)}`]);
    rows.push(['severity', decision.severity]);
  }
  rows.push(['rule', formatRule(decision, file)]);
  rows.push(['reason', decision.reason]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const lines = rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`);
  lines.push('explanation:');
  // decide() may number its steps itself ("3. restricted: …"); renumber so every line has one number.
  decision.explanation.forEach((step, i) => lines.push(`  ${i + 1}. ${step.replace(/^\d+\.\s+/, '')}`));
  return lines.join('\n');
}

/** The decision as one JSON object with exactly the fields `decide()` returned. */
export function decisionJson(decision: Decision): string {
  return JSON.stringify({ ...decision });
}
