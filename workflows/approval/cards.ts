/** The approval's cards while it waits: post (falling back to the web channel), remind, escalate. */
import { log, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { PostCardResult } from '../../activities/types.js';
import { SearchAttributeKey, WEB_CHANNEL, webRef, type ChannelRef } from '../../core/index.js';
import { cards } from './activity-proxies.js';
import type { ApprovalContext } from './context.js';
import { failureMessage } from './failure.js';
import { formatSeconds } from './timers.js';
import { upsertEligible } from './views.js';

/**
 * Patch id: the built-in web channel's card is made in the workflow. Its post, reminder, escalation
 * and final update do nothing but cost a server round trip each; histories from before the patch
 * scheduled them as activities and replay that way.
 */
export const WEB_CARDS_IN_WORKFLOW = 'web-cards-in-workflow';

/**
 * Whether this approval makes web cards itself. Called once, first thing, for every approval that
 * waits for a person: a fixed place in the first activation, whatever signals or local activities
 * come next, so a replay (a query on an evicted workflow) meets the marker where it was recorded.
 */
export function webCardsInWorkflow(): boolean {
  return patched(WEB_CARDS_IN_WORKFLOW);
}

/** The cards that channel activities update: all but the built-in web one once the patch holds. */
export function activityRefs(ctx: ApprovalContext): ChannelRef[] {
  return ctx.webCardsInWorkflow ? ctx.refs.filter((ref) => ref.channel !== WEB_CHANNEL) : ctx.refs;
}

/** Posts the card to the policy's channel; when that fails, to the built-in web channel. */
export async function postCard(ctx: ApprovalContext): Promise<void> {
  const { input, state, refs, note, spawn, auditEvent, cardContext } = ctx;
  const wanted = ctx.route.channel;
  const post = async (channel: string): Promise<PostCardResult> =>
    channel === WEB_CHANNEL && ctx.webCardsInWorkflow
      ? { ref: { channel, ref: webRef(input.id) } }
      : cards.postCard({ channel, card: cardContext() });
  let why: string;
  try {
    const posted = await post(wanted);
    refs.push(posted.ref);
    why = posted.fallback ?? `card posted to ${posted.ref.channel}`;
  } catch (err) {
    const failed = `${wanted}: posting the card failed (${failureMessage(err)})`;
    if (wanted === WEB_CHANNEL) {
      why = `${failed}; the approval is still served by the HTTP API`;
    } else {
      try {
        refs.push((await post(WEB_CHANNEL)).ref);
        why = `${failed}; built-in web channel serves this approval`;
      } catch (err2) {
        why = `${failed}; web: ${failureMessage(err2)}; the approval is still served by the HTTP API`;
      }
    }
  }
  state.channel = refs[0]?.channel ?? 'web';
  note('posted', 'system', why);
  spawn(() => auditEvent('posted', 'system', why, { channel: state.channel, requested: wanted }));
}

/** Reminds the eligible approvers who have not approved yet, on every card. */
export async function remind(ctx: ApprovalContext): Promise<void> {
  const { input, state, note, spawn, auditEvent, cardContext } = ctx;
  const pending = (state.eligible ?? []).filter((id) => !state.approvedBy.includes(id) && id !== input.request.agent);
  const why = `reminded ${pending.join(', ') || 'nobody (no eligible approver left)'}`;
  note('reminded', 'system', why);
  spawn(() => auditEvent('reminded', 'system', why, { pending }));
  await Promise.all(
    activityRefs(ctx).map((ref) =>
      cards.remind({ ref, card: cardContext(), pending }).catch((err) => log.warn('reminder failed', { id: input.id, error: failureMessage(err) })),
    ),
  );
}

/** Adds the escalation approvers to those who may decide and tells every card. */
export async function escalate(ctx: ApprovalContext, now: number): Promise<void> {
  const { input, route, state, note, spawn, auditEvent, cardContext } = ctx;
  const added = input.escalation.filter((id) => !(state.eligible ?? []).includes(id));
  state.eligible = [...(state.eligible ?? []), ...added];
  state.escalated = true;
  const group = route.escalateTo ?? 'escalation';
  const why =
    input.escalation.length > 0
      ? `escalated to ${group} (${input.escalation.join(', ')}) after ${formatSeconds(route.escalateAfterSeconds ?? (now - ctx.start) / 1000)}`
      : `escalation group ${group} has no members; nobody was added`;
  note('escalated', 'system', why);
  if (route.escalateTo !== null && !route.approvers.includes(route.escalateTo)) {
    upsertSearchAttributes([{ key: SearchAttributeKey.Groups, value: [...route.approvers, route.escalateTo] }]);
  }
  upsertEligible(ctx);
  spawn(() => auditEvent('escalated', 'system', why, { to: input.escalation, group }));
  await Promise.all(
    activityRefs(ctx).map((ref) =>
      cards
        .escalate({ ref, card: cardContext(), to: [...input.escalation] })
        .catch((err) => log.warn('escalation notice failed', { id: input.id, error: failureMessage(err) })),
    ),
  );
}
