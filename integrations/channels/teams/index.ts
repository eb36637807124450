/**
 * Microsoft Teams approval cards (botbuilder CloudAdapter, Adaptive Cards 1.5). Public API:
 * - {@link teamsIntegration}: the {@link IntegrationFactory}; null when no Teams variable is set,
 *   throws naming the variable when half-configured, refuses an empty MICROSOFT_APP_ID unless
 *   TEAMS_INSECURE_TEST_MODE=1 (which logs a loud warning: inbound activities are then unauthenticated);
 * - {@link createTeamsIntegration}: the same from an explicit {@link TeamsConfig};
 * - the card renderer, the conversation store and the {@link TeamsConnector} seam.
 *
 * Registering a team channel: install the bot in the team, then in the channel send
 * `@Countersign link <group>` as a member of that approver group. The bot stores the channel's
 * conversation reference in `<dataDir>/teams-conversations.json`; that group's cards are posted
 * there from then on (TEAMS_DEFAULT_GROUP's conversation serves groups without a link).
 * Inbound: `POST /api/messages` (the bot's messaging endpoint).
 */
import type { Integration, IntegrationContext, IntegrationFactory } from '../../integration.js';
import { CountersignBot } from './bot.js';
import { createTeamsChannel } from './channel.js';
import { readTeamsConfig, type TeamsConfig } from './config.js';
import { createBotbuilderConnector, type TeamsConnector } from './connector.js';
import { ConversationStore } from './references.js';

export { renderAdaptiveCard, compact, md, ADAPTIVE_CARD_CONTENT_TYPE, TeamsVerbs, type ActionData } from './card.js';
export { readTeamsConfig, type TeamsConfig, type TeamsAppType } from './config.js';
export { createBotbuilderConnector, type TeamsConnector, type InboundResult } from './connector.js';
export { ConversationStore } from './references.js';
export { TeamsErrorCode, TeamsIntegrationError } from './errors.js';
export { TEAMS_CHANNEL_NAME } from './channel.js';
export { applyState } from './view.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';

/** The integration from an explicit config; `connector` replaces botbuilder (tests, another SDK). */
export function createTeamsIntegration(ctx: IntegrationContext, config: TeamsConfig, connector?: TeamsConnector): Integration {
  const logger = ctx.logger.child({ integration: 'teams' });
  if (config.insecure) {
    logger.warn('TEAMS_INSECURE_TEST_MODE=1 with an empty MICROSOFT_APP_ID: /api/messages accepts UNAUTHENTICATED activities. Never run this outside tests.');
  }
  const store = new ConversationStore(ctx.dataDir);
  const bot = connector ?? createBotbuilderConnector(config, logger);
  return {
    name: 'teams',
    channel: createTeamsChannel(bot, store, config.defaultGroup),
    routes(fastify, { decider }) {
      const handler = new CountersignBot({ decider, allowedTenants: config.allowedTenants, approvers: ctx.approvers, groups: ctx.groups, store, logger });
      fastify.post(TEAMS_MESSAGES_PATH, async (req, reply) => {
        const out = await bot.process(req.body, req.headers, handler);
        return reply.code(out.status).send(out.body ?? '');
      });
    },
  };
}

/** The factory: Teams on when MICROSOFT_APP_* / TEAMS_* variables are set (see config.ts). */
export const teamsIntegration: IntegrationFactory = (ctx) => {
  const config = readTeamsConfig(ctx.env);
  return config ? createTeamsIntegration(ctx, config) : null;
};
