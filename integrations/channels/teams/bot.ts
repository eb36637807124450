/**
 * The bot's turn logic (botbuilder ActivityHandler):
 * - a message `link <group>` (the bot @-mentioned in a team channel, or in a chat) records that
 *   conversation as where `<group>`'s cards go; only a configured approver who is a member of the
 *   group may link it;
 * - an `adaptiveCard/action` invoke (Approve / Deny) maps `from.aadObjectId` to an approver (config
 *   `teams`), sends the `decide` update bound to the card's request hash, and answers the clicker
 *   with the card rebuilt from the returned state (`application/vnd.microsoft.card.adaptive`). An
 *   unmapped user is sent as `teams:<aadObjectId>` so the workflow refuses and records the attempt.
 *
 * Only activities from Teams (`channelId` `msteams`) in an allowed Entra tenant
 * (`conversation.tenantId`, see TEAMS_ALLOWED_TENANTS) get this far: botbuilder has checked the
 * token, this checks whose it is.
 */
import { ActivityHandler, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue } from 'botbuilder';
import type { Logger } from 'pino';
import { cardFromState, type Approver, type Decider, type DecisionValue, type Groups } from '../../../core/index.js';
import { answer, ApproverDirectory, ReplayGuard } from '../../kit/index.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderAdaptiveCard, TeamsVerbs, type ActionData } from './card.js';
import type { ConversationStore } from './references.js';

export interface BotDeps {
  decider: Decider;
  /** Entra tenant ids whose activities are accepted; empty accepts any (test mode only). */
  allowedTenants: readonly string[];
  approvers: readonly Approver[];
  groups: Groups;
  store: ConversationStore;
  logger: Logger;
}

const cardResponse = (value: Record<string, unknown>): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value });
const ERROR_CODES: Record<number, string> = { 400: 'BadRequest', 403: 'Forbidden', 409: 'Conflict' };
const errorResponse = (statusCode: number, message: string): AdaptiveCardInvokeResponse => ({
  statusCode,
  type: 'application/vnd.microsoft.error',
  value: { code: ERROR_CODES[statusCode] ?? 'InternalError', message },
});

/** The `channelId` of activities from Microsoft Teams. */
const TEAMS_CHANNEL_ID = 'msteams';

/** How long an answered activity id is remembered: longer than any retry of the same invoke. */
const REPLAY_WINDOW_MS = 10 * 60_000;

/** The Countersign bot. */
export class CountersignBot extends ActivityHandler {
  private readonly directory: ApproverDirectory;
  /** Activity ids already answered: the same authenticated invoke delivered again acts once. */
  private readonly replay = new ReplayGuard({ windowMs: REPLAY_WINDOW_MS });

  constructor(private readonly deps: BotDeps) {
    super();
    this.directory = new ApproverDirectory(deps.approvers, 'teams');
    this.onTurn(async (context, next) => {
      const refusal = this.refusal(context.activity);
      if (refusal === null) return next();
      this.deps.logger.warn({ channelId: context.activity.channelId, tenant: context.activity.conversation?.tenantId, type: context.activity.type }, `teams activity refused: ${refusal}`);
      if (context.activity.type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: { status: 403, body: errorResponse(403, refusal).value } });
    });
    this.onMessage(async (context, next) => {
      await this.onText(context);
      await next();
    });
  }

  /** Why an authenticated activity is still not ours to act on, or null. */
  private refusal(activity: TurnContext['activity']): string | null {
    if (activity.channelId !== TEAMS_CHANNEL_ID) return `channel ${String(activity.channelId)} is not Microsoft Teams`;
    const tenant = String(activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? '').toLowerCase();
    if (this.deps.allowedTenants.length > 0 && !this.deps.allowedTenants.includes(tenant)) return `tenant ${tenant || '(none)'} is not in TEAMS_ALLOWED_TENANTS`;
    return null;
  }

  private approverFor(aad: string | undefined): Approver | undefined {
    return aad ? this.directory.withIdentity(aad)[0] : undefined;
  }

  private async onText(context: TurnContext): Promise<void> {
    const text = TurnContext.removeRecipientMention(context.activity)?.trim() ?? context.activity.text?.trim() ?? '';
    const m = /^link\s+([A-Za-z0-9][A-Za-z0-9._@-]*)$/i.exec(text);
    if (!m) {
      await context.sendActivity('Send `link <group>` here to receive that approver group\'s Countersign cards in this conversation.');
      return;
    }
    const group = m[1]!;
    const who = this.approverFor(context.activity.from?.aadObjectId);
    const members = this.deps.groups[group];
    if (!members) return void (await context.sendActivity(`There is no approver group named ${group}.`));
    if (!who || !members.includes(who.id)) return void (await context.sendActivity(`Only a member of ${group} can link it.`));
    const reference = TurnContext.getConversationReference(context.activity);
    const conversation = { ...reference.conversation!, id: (reference.conversation?.id ?? '').split(';messageid=')[0]! };
    await this.deps.store.set(group, { ...reference, conversation, activityId: undefined });
    this.deps.logger.info({ group, by: who.id }, 'teams conversation linked');
    await context.sendActivity(`Linked: approval cards for ${group} will be posted here.`);
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const verb = invoke.action.verb as DecisionValue;
    const data = invoke.action.data as Partial<ActionData> & { comment?: string; reason?: string };
    if ((verb !== TeamsVerbs.approve && verb !== TeamsVerbs.deny) || typeof data.i !== 'string' || typeof data.h !== 'string') {
      return errorResponse(400, 'not a Countersign card action');
    }
    const reason = (verb === 'deny' ? data.reason : data.comment)?.trim();
    if (verb === 'deny' && !reason) {
      const current = await this.deps.decider.state(data.i).catch(() => null);
      const card = current && cardFromState(current);
      return card ? cardResponse(renderAdaptiveCard(card, 'A denial needs a reason.')) : errorResponse(400, 'A denial needs a reason.');
    }
    const activityId = context.activity.id ?? '';
    if (!activityId || !this.replay.claim([activityId])) return errorResponse(409, 'This answer was already received.');
    const from = context.activity.from;
    const approverId = this.approverFor(from?.aadObjectId)?.id ?? this.directory.unmapped(from?.aadObjectId ?? from?.id ?? 'unknown');
    const report = await answer(this.deps.decider, { id: data.i, approverId, decision: verb, via: 'teams', requestHash: data.h, reason });
    if (report.outcome === 'unrecorded') {
      this.replay.release([activityId]);
      this.deps.logger.warn({ id: data.i, err: (report.error as Error).message }, 'teams decision failed');
    }
    const card = report.state && cardFromState(report.state);
    if (card) return cardResponse(renderAdaptiveCard(card, report.feedback ?? undefined));
    if (report.state) return errorResponse(400, report.feedback ?? 'This request can no longer be shown here; nothing else changed.');
    return errorResponse(report.outcome === 'gone' ? 400 : 500, report.feedback ?? 'Your answer could not be recorded; try again.');
  }
}
