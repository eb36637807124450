/**
 * One Slack answer to the workflow: map the clicker to an approver, send the `decide` update bound
 * to the request hash shown on the card, and turn the result into what the clicker alone is told
 * (null when the card update says it all). An unmapped user is sent as `slack:<user id>` so the
 * workflow refuses it and records the attempt.
 */
import type { Decider, DecisionResult, DecisionValue } from '../../core/index.js';
import type { ButtonValue } from './card.js';
import type { SlackIdentity } from './identity.js';

export const NOT_AN_APPROVER = 'You are not an approver for this request. Your attempt was recorded; nothing was counted.';

export interface DecideDeps {
  decider: Decider;
  identity: SlackIdentity;
}

/** Parses a button's value; null when it is not one of ours. */
export function parseButtonValue(raw: unknown): ButtonValue | null {
  if (typeof raw !== 'string') return null;
  try {
    const v = JSON.parse(raw) as Partial<ButtonValue>;
    return typeof v.i === 'string' && typeof v.h === 'string' ? { i: v.i, h: v.h } : null;
  } catch {
    return null;
  }
}

function feedback(res: DecisionResult, approverId: string, decision: DecisionValue): string | null {
  const s = res.state;
  if (res.counted) {
    return s.status === 'pending' ? `Your approval counted (${s.approvedBy.length} of ${s.quorum}); waiting for more approvers.` : null;
  }
  if (s.status === 'pending' && !(s.eligible ?? []).includes(approverId)) return NOT_AN_APPROVER;
  if (s.status !== 'pending') return `Already decided: ${res.message}.`;
  return `Your ${decision} did not count: ${res.message}.`;
}

/** Sends the decision; returns the clicker's private feedback or null. Never throws. */
export async function decideFromSlack(
  deps: DecideDeps,
  value: ButtonValue,
  slackUser: string,
  decision: DecisionValue,
  reason?: string,
): Promise<string | null> {
  try {
    const ids = await deps.identity.resolve(slackUser);
    let approverId = ids[0] ?? `slack:${slackUser}`;
    if (ids.length > 1) {
      const state = await deps.decider.state(value.i);
      approverId = ids.find((id) => (state?.eligible ?? []).includes(id)) ?? approverId;
    }
    const text = reason?.trim();
    const res = await deps.decider.decide(value.i, { approverId, decision, via: 'slack', requestHash: value.h, ...(text ? { reason: text } : {}) });
    return feedback(res, approverId, decision);
  } catch (err) {
    // The workflow may have finished (decided and delivered): read its final state instead.
    const state = await deps.decider.state(value.i).catch(() => null);
    if (state && state.status !== 'pending') {
      const by = state.status === 'approved' ? state.approvedBy.join(', ') : state.status === 'denied' ? state.deniedBy : null;
      return `Already decided: this request was already ${state.status}${by ? ` by ${by}` : `: ${state.reason}`}.`;
    }
    if (state === null) return 'This approval request no longer exists.';
    return `Your answer could not be recorded (${(err as Error).message}); please try again.`;
  }
}
