/**
 * Zendesk: approvals as tickets. Public API:
 *
 * - {@link zendeskIntegration}: the {@link IntegrationFactory} (on when ZENDESK_* is set);
 * - {@link createZendeskIntegration}: the same from an explicit config (tests, embedding);
 * - {@link ZENDESK_WEBHOOK_PATH}, {@link signZendesk}/{@link verifyZendeskSignature}, the
 *   payload type, the errors and {@link setupZendesk} (`countersign setup zendesk`).
 *
 * See README.md in this directory for the variables and the approve/deny mechanism.
 */
import type { Integration, IntegrationContext, IntegrationFactory } from '../../integration.js';
import { createZendeskChannel } from './channel.js';
import { ZendeskClient } from './client.js';
import { readZendeskConfig, type ZendeskConfig } from './config.js';
import { mountZendeskWebhook } from './webhook.js';

export { ZENDESK_CHANNEL, createZendeskChannel } from './channel.js';
export { ZendeskClient } from './client.js';
export { readZendeskConfig, type ZendeskConfig } from './config.js';
export * from './errors.js';
export { newTicket, outcomeNote, ZendeskTag, ZENDESK_DECIDE_HELP } from './ticket.js';
export { signZendesk, verifyZendeskSignature, ZENDESK_SIGNATURE_HEADER, ZENDESK_TIMESTAMP_HEADER } from './signature.js';
export { ZENDESK_WEBHOOK_PATH, type ZendeskDecisionPayload } from './webhook.js';
export { setupZendesk, triggerBody, TRIGGER_TITLES, WEBHOOK_NAME } from './setup.js';

/** Builds the integration from an explicit config; `now` pins the signature window's clock (tests). */
export function createZendeskIntegration(config: ZendeskConfig, ctx: IntegrationContext, now?: () => number): Integration {
  const client = new ZendeskClient(config);
  return {
    name: 'zendesk',
    channel: createZendeskChannel(config, client, ctx.publicUrl),
    routes: (app, { decider }) =>
      mountZendeskWebhook(app, decider, {
        secret: config.webhookSecret,
        client,
        approvers: ctx.approvers,
        logger: ctx.logger.child({ integration: 'zendesk' }),
        ...(now ? { now } : {}),
      }),
  };
}

/** On when ZENDESK_SUBDOMAIN/ZENDESK_URL, _EMAIL, _API_TOKEN and _WEBHOOK_SECRET are set. */
export const zendeskIntegration: IntegrationFactory = (ctx) => {
  const config = readZendeskConfig(ctx.env);
  return config ? createZendeskIntegration(config, ctx) : null;
};
