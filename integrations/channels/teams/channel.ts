/**
 * The Teams {@link ApprovalChannel}: proactive posting into the conversation linked for the card's
 * approver group (see references.ts), and `updateActivity` to show progress and the final state
 * to everyone. Ref: `{ channel: 'teams', ref: <activity id>, meta: { group, conversationId } }`.
 */
import type { ApprovalCard, ChannelRef } from '../../../core/index.js';
import type { ApprovalChannel } from '../../kit/channel.js';
import { renderAdaptiveCard } from './card.js';
import type { TeamsConnector } from './connector.js';
import { TeamsErrorCode, TeamsIntegrationError } from './errors.js';
import type { ConversationStore } from './references.js';

/** The channel name policies use (`channel: teams`). */
export const TEAMS_CHANNEL_NAME = 'teams';

const summary = (card: ApprovalCard): string => `Countersign: ${card.request.action} by ${card.request.agent} — ${card.summary}`.slice(0, 300);

function failed(what: string, err: unknown): TeamsIntegrationError {
  return new TeamsIntegrationError(TeamsErrorCode.ConnectorFailed, `Teams ${what} failed: ${(err as Error).message}`, { cause: err });
}

export function createTeamsChannel(connector: TeamsConnector, store: ConversationStore, defaultGroup: string | null): ApprovalChannel {
  const referenceFor = async (ref: ChannelRef) => {
    const group = ref.meta?.group;
    const conversationId = ref.meta?.conversationId;
    if (ref.channel !== TEAMS_CHANNEL_NAME || !group || !conversationId || !ref.ref) {
      throw new TeamsIntegrationError(TeamsErrorCode.BadRef, `not a Teams card reference: ${JSON.stringify(ref)}`);
    }
    const reference = await store.get(group);
    if (!reference) throw new TeamsIntegrationError(TeamsErrorCode.NotLinked, `the Teams conversation for ${group} is no longer linked`);
    return { ...reference, conversation: { ...reference.conversation!, id: conversationId } };
  };
  const update = async (ref: ChannelRef, card: ApprovalCard): Promise<void> => {
    const reference = await referenceFor(ref);
    await connector.update(reference, ref.ref, renderAdaptiveCard(card), summary(card)).catch((err: unknown) => {
      throw failed('updateActivity', err);
    });
  };
  return {
    name: TEAMS_CHANNEL_NAME,
    async post(card: ApprovalCard): Promise<ChannelRef> {
      const found = await store.find(card.approvers, defaultGroup);
      if (!found) {
        throw new TeamsIntegrationError(TeamsErrorCode.NotLinked, `no Teams conversation is linked for ${card.approvers.join(', ')}: add the bot and send "link <group>"`);
      }
      const id = await connector.send(found.reference, renderAdaptiveCard(card), summary(card)).catch((err: unknown) => {
        throw failed('sending the card', err);
      });
      if (!id) throw new TeamsIntegrationError(TeamsErrorCode.ConnectorFailed, 'the Bot Connector returned no activity id');
      return { channel: TEAMS_CHANNEL_NAME, ref: id, meta: { group: found.group, conversationId: found.reference.conversation?.id ?? '' } };
    },
    update,
    async escalate(ref, card) {
      await update(ref, card);
    },
  };
}
