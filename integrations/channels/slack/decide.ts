/**
 * One Slack answer to the workflow: map the clicker to an approver, then decide through the kit
 * (bound to the request hash shown on the card) and return what the clicker alone is told (null
 * when the card update says it all). An unmapped user is sent as `slack:<user id>` so the
 * workflow refuses it and records the attempt.
 */
import type { Decider, DecisionValue } from '../../../core/index.js';
import { answer } from '../../kit/index.js';
import type { ButtonValue } from './card.js';
import type { SlackIdentity } from './identity.js';

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

/** The approver id a Slack user answers as: a mapped approver (the eligible one, when several), else `slack:<user id>`. */
export async function approverFor(deps: DecideDeps, approvalId: string, slackUser: string): Promise<string> {
  const ids = await deps.identity.resolve(slackUser);
  if (ids.length <= 1) return ids[0] ?? deps.identity.directory.unmapped(slackUser);
  const state = await deps.decider.state(approvalId).catch(() => null);
  return ids.find((id) => (state?.eligible ?? []).includes(id)) ?? ids[0]!;
}

/** Sends the decision; returns the clicker's private feedback or null. Never throws. */
export async function decideFromSlack(
  deps: DecideDeps,
  value: ButtonValue,
  slackUser: string,
  decision: DecisionValue,
  reason?: string,
): Promise<string | null> {
  const approverId = await approverFor(deps, value.i, slackUser).catch(() => deps.identity.directory.unmapped(slackUser));
  const report = await answer(deps.decider, { id: value.i, approverId, decision, via: 'slack', requestHash: value.h, reason });
  return report.feedback;
}
