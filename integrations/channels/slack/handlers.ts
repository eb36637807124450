/**
 * Bolt listeners for the card: Approve (with the optional inline comment), Deny (opens the modal
 * with a required reason) and the modal's submission. Each listener acks first (Slack wants an
 * answer within 3 s), then decides, then tells the clicker privately when there is something to
 * say (`response_url` for buttons, `chat.postEphemeral` for the modal, the modal itself for Deny).
 * Deny opens its modal before any lookup (the trigger id expires 3 s after the click) and
 * decides nothing when the request cannot be checked. The card itself is re-rendered for
 * everyone by the workflow's `updateCard` activity.
 */
import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import { Feedback } from '../../kit/index.js';
import { SlackIds } from './card.js';
import { decideFromSlack, parseButtonValue, type DecideDeps } from './decide.js';
import { denyModal, noticeModal, parseDenyMetadata } from './modal.js';
import { escapeMrkdwn } from './text.js';

type Values = Record<string, Record<string, { value?: string | null }>> | undefined;

const commentOf = (values: Values): string | undefined => values?.[SlackIds.comment]?.[SlackIds.comment]?.value ?? undefined;

/** Registers the card's listeners on a Bolt app. */
export function registerSlackHandlers(app: App, deps: DecideDeps & { logger: Logger }): void {
  app.action(SlackIds.approve, async ({ ack, body, action, respond }) => {
    await ack();
    const value = parseButtonValue((action as { value?: string }).value);
    if (!value) return void (await respond({ response_type: 'ephemeral', replace_original: false, text: 'This is not a valid Countersign card.' }));
    const comment = commentOf((body as { state?: { values?: Values } }).state?.values);
    const text = await decideFromSlack(deps, value, body.user.id, 'approve', comment);
    if (text) await respond({ response_type: 'ephemeral', replace_original: false, text: escapeMrkdwn(text) });
  });

  app.action(SlackIds.deny, async ({ ack, body, action, respond, client }) => {
    await ack();
    const value = parseButtonValue((action as { value?: string }).value);
    if (!value) return;
    const b = body as { trigger_id?: string; channel?: { id?: string }; message?: { ts?: string }; state?: { values?: Values } };
    // The modal first: a trigger id is good for 3 s after the click, and the lookups below may take longer.
    const opened = await client.views.open({
      trigger_id: b.trigger_id ?? '',
      view: denyModal({ i: value.i, h: value.h, ...(b.channel?.id ? { c: b.channel.id } : {}), ...(b.message?.ts ? { t: b.message.ts } : {}) }, value.i, commentOf(b.state?.values)) as never,
    });
    const viewId = (opened as { view?: { id?: string } }).view?.id;
    const tell = async (text: string): Promise<void> => {
      if (viewId) await client.views.update({ view_id: viewId, view: noticeModal(text) as never });
      else await respond({ response_type: 'ephemeral', replace_original: false, text: escapeMrkdwn(text) });
    };
    let ids: string[];
    let state: Awaited<ReturnType<DecideDeps['decider']['state']>>;
    try {
      ids = await deps.identity.resolve(body.user.id);
      state = await deps.decider.state(value.i);
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message, id: value.i }, 'slack deny: could not check the request; nothing decided');
      return tell(Feedback.unchecked);
    }
    // Without the state or its eligible list nobody can tell whether this person may deny: decide nothing.
    if (!state) return tell(Feedback.gone);
    if (state.eligible === undefined) return tell(Feedback.unchecked);
    if (ids.length === 0 || state.status !== 'pending' || !ids.some((id) => state.eligible!.includes(id))) {
      // Not someone who can deny now: record the attempt (the workflow refuses it) and say why.
      const text = await decideFromSlack(deps, value, body.user.id, 'deny', 'deny clicked by a Slack user who may not decide');
      return tell(text ?? Feedback.notAnApprover);
    }
  });

  app.view(SlackIds.denyModal, async ({ ack, body, view, client }) => {
    const meta = parseDenyMetadata(view.private_metadata);
    const reason = (view.state.values as Values)?.[SlackIds.reason]?.[SlackIds.reason]?.value?.trim();
    if (!meta) return void (await ack({ response_action: 'errors', errors: { [SlackIds.reason]: 'This form no longer belongs to a request.' } }));
    if (!reason) return void (await ack({ response_action: 'errors', errors: { [SlackIds.reason]: 'Say why: the agent and the audit log read it.' } }));
    await ack();
    const text = await decideFromSlack(deps, { i: meta.i, h: meta.h }, body.user.id, 'deny', reason);
    if (text && meta.c) await client.chat.postEphemeral({ channel: meta.c, user: body.user.id, text: escapeMrkdwn(text) });
  });

  app.error(async (error) => {
    deps.logger.error({ err: error.message, code: (error as { code?: string }).code }, 'slack listener error');
  });
}
