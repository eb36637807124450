import type { CompiledRoute } from '../policy/compiled.js';
import type { ApprovalRoute, Decision, RuleRef } from '../../core/index.js';

/**
 * What a step settles on, before the change-window overlay and the explanation are added. Most
 * outcomes are built once at compile time; `cache` then holds the finished, frozen decisions per
 * explanation variant, so the common path of `decide()` allocates nothing.
 */
export interface Outcome {
  readonly verdict: Decision['verdict'];
  readonly route: CompiledRoute | null;
  readonly rule: RuleRef;
  readonly reason: string;
  /** The line that says what decided, appended to the explanation. */
  readonly decided: string;
  /** The decision step (1–7) that produced it: how many explanation lines precede it. */
  readonly step: number;
  /** Finished decisions by explanation variant; null for outcomes built per call. */
  readonly cache: (Decision | undefined)[] | null;
}

const NO_APPROVERS: readonly string[] = Object.freeze([]);
/** Route fields of a decision nobody has to answer. */
export const NEUTRAL: ApprovalRoute = Object.freeze({
  approvers: NO_APPROVERS,
  channel: 'web',
  quorum: 0,
  slaSeconds: 0,
  remindEverySeconds: null,
  escalateTo: null,
  escalateAfterSeconds: null,
  severity: 'info',
});

export const NO_RULE: RuleRef = Object.freeze({ path: 'request', line: 0 });

/** Pass `shared = true` for outcomes built once at compile time, so their decisions are cached. */
export function auto(step: number, rule: RuleRef, reason: string, shared = false): Outcome {
  return { verdict: 'auto_approve', route: null, rule, reason, decided: `→ auto-approve: ${reason}`, step, cache: shared ? [] : null };
}

export function deny(step: number, rule: RuleRef, reason: string, shared = false): Outcome {
  return { verdict: 'deny', route: null, rule, reason, decided: `→ deny: ${reason}`, step, cache: shared ? [] : null };
}

export function ask(step: number, route: CompiledRoute, reason: string, shared = false): Outcome {
  const who = route.approvers.join(', ');
  return {
    verdict: 'require_approval', route, rule: route.rule, reason,
    decided: `→ require approval by ${who} on ${route.channel}: ${reason}`, step, cache: shared ? [] : null,
  };
}

/** The public decision: the route's fields flattened in, or neutral ones for auto and deny. */
export function toDecision(outcome: Outcome, explanation: readonly string[]): Decision {
  const r = outcome.route ?? NEUTRAL;
  return {
    verdict: outcome.verdict,
    approvers: r.approvers,
    channel: r.channel,
    quorum: r.quorum,
    slaSeconds: r.slaSeconds,
    remindEverySeconds: r.remindEverySeconds,
    escalateTo: r.escalateTo,
    escalateAfterSeconds: r.escalateAfterSeconds,
    severity: r.severity,
    rule: outcome.rule,
    reason: outcome.reason,
    explanation,
  };
}
