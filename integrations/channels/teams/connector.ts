/**
 * Everything botbuilder-specific about talking to Teams, behind {@link TeamsConnector} so the
 * Microsoft 365 Agents SDK can replace botbuilder without touching the channel or the routes:
 * CloudAdapter construction (ConfigurationBotFrameworkAuthentication from MICROSOFT_APP_*),
 * processing an inbound activity, and proactive send / update through a stored reference (the
 * outgoing calls go to the reference's `serviceUrl`).
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ActivityHandler, type ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import { ADAPTIVE_CARD_CONTENT_TYPE, type Json } from './card.js';
import type { TeamsConfig } from './config.js';

export interface InboundResult {
  status: number;
  body: unknown;
}

/** The operations the Teams channel and routes need. */
export interface TeamsConnector {
  /** Runs one inbound activity (authenticating it) and returns the HTTP answer. */
  process(body: unknown, headers: Record<string, string | string[] | undefined>, bot: ActivityHandler): Promise<InboundResult>;
  /** Sends a card into the referenced conversation; returns the new activity id. */
  send(reference: Partial<ConversationReference>, card: Json, text: string): Promise<string>;
  /** Replaces an activity's card for everyone. */
  update(reference: Partial<ConversationReference>, activityId: string, card: Json, text: string): Promise<void>;
}

const attachment = (card: Json) => ({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card });

/** jsonwebtoken's messages for a token it refuses (verify.js). */
const JWT_REJECTION = /^(invalid signature|invalid token|invalid algorithm|jwt malformed|jwt signature is required|jwt not active|jwt issuer invalid|jwt audience invalid)/i;

/** The botbuilder CloudAdapter implementation. */
export function createBotbuilderConnector(config: TeamsConfig, logger: Logger): TeamsConnector {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppTenantId: config.tenantId,
    MicrosoftAppType: config.appType,
    ...(config.endpoints
      ? {
          ToBotFromChannelOpenIdMetadataUrl: config.endpoints.openIdMetadataUrl,
          ToBotFromChannelTokenIssuer: config.endpoints.tokenIssuer,
          ToChannelFromBotLoginUrl: config.endpoints.loginUrl,
          ToChannelFromBotOAuthScope: config.endpoints.oauthScope,
        }
      : {}),
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (_context, error) => {
    logger.error({ err: error.message }, 'teams turn failed');
  };
  return {
    async process(body, headers, bot) {
      const out: InboundResult = { status: 200, body: undefined };
      const res = {
        socket: {},
        status: (code: number) => void (out.status = code),
        send: (b: unknown) => void (out.body = b),
        header: () => undefined,
        end: () => undefined,
      };
      await adapter.process({ body: body as Record<string, unknown>, headers, method: 'POST' }, res, (context) => bot.run(context));
      // CloudAdapter answers 401 for its own AuthenticationError but 500 for a token jsonwebtoken
      // rejects (a bad signature, not yet valid, another algorithm): a forged token is a 401 too.
      if (out.status === 500 && JWT_REJECTION.test(String(out.body))) out.status = 401;
      return out;
    },
    async send(reference, card, text) {
      let id = '';
      await adapter.continueConversationAsync(config.appId, reference, async (context) => {
        const sent = await context.sendActivity({ type: 'message', text, attachments: [attachment(card)] });
        id = sent?.id ?? '';
      });
      return id;
    },
    async update(reference, activityId, card, text) {
      await adapter.continueConversationAsync(config.appId, reference, async (context) => {
        await context.updateActivity({ type: 'message', id: activityId, text, attachments: [attachment(card)] });
      });
    },
  };
}
