/** Turning a decision into a refusal at submission time, when the service cannot honour what the policy said. */
import type { Decision } from '../../core/index.js';

/** A decision that refuses, built from `base` (fail closed when config and policy disagree at run time). */
export function denyInstead(base: Decision, reason: string): Decision {
  return {
    ...base,
    verdict: 'deny',
    reason,
    approvers: [],
    quorum: 0,
    escalateTo: null,
    escalateAfterSeconds: null,
    remindEverySeconds: null,
    explanation: [...base.explanation, reason],
  };
}
