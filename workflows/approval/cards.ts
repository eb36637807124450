/** The approval's cards while it waits: post (falling back to the web channel), remind, escalate. */
import { log, upsertSearchAttributes } from '@temporalio/workflow';
import { GroupsKey } from '../search-attributes.js';
import { cards } from './activity-proxies.js';
import type { ApprovalContext } from './context.js';
import { failureMessage } from './failure.js';
import { formatSeconds } from './timers.js';

/** Posts the card to the policy's channel; when that fails, to the built-in web channel. */
export async function postCard(ctx: ApprovalContext): Promise<void> {
  const { state, refs, note, spawn, auditEvent, cardContext } = ctx;
  const wanted = ctx.route.channel;
  let why: string;
  try {
    const posted = await cards.postCard({ channel: wanted, card: cardContext() });
    refs.push(posted.ref);
    why = posted.fallback ?? `card posted to ${posted.ref.channel}`;
  } catch (err) {
    const failed = `${wanted}: posting the card failed (${failureMessage(err)})`;
    if (wanted === 'web') {
      why = `${failed}; the approval is still served by the HTTP API`;
    } else {
      try {
        const posted = await cards.postCard({ channel: 'web', card: cardContext() });
        refs.push(posted.ref);
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
  const { input, state, refs, note, spawn, auditEvent, cardContext } = ctx;
  const pending = (state.eligible ?? []).filter((id) => !state.approvedBy.includes(id) && id !== input.request.agent);
  const why = `reminded ${pending.join(', ') || 'nobody (no eligible approver left)'}`;
  note('reminded', 'system', why);
  spawn(() => auditEvent('reminded', 'system', why, { pending }));
  await Promise.all(
    refs.map((ref) =>
      cards.remind({ ref, card: cardContext(), pending }).catch((err) => log.warn('reminder failed', { id: input.id, error: failureMessage(err) })),
    ),
  );
}

/** Adds the escalation approvers to those who may decide and tells every card. */
export async function escalate(ctx: ApprovalContext, now: number): Promise<void> {
  const { input, route, state, refs, note, spawn, auditEvent, cardContext } = ctx;
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
    upsertSearchAttributes([{ key: GroupsKey, value: [...route.approvers, route.escalateTo] }]);
  }
  spawn(() => auditEvent('escalated', 'system', why, { to: input.escalation, group }));
  await Promise.all(
    refs.map((ref) =>
      cards
        .escalate({ ref, card: cardContext(), to: [...input.escalation] })
        .catch((err) => log.warn('escalation notice failed', { id: input.id, error: failureMessage(err) })),
    ),
  );
}
