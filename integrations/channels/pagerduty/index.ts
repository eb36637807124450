/**
 * PagerDuty: emergency approvals as incidents. Public API:
 *
 * - {@link pagerdutyIntegration}: the {@link IntegrationFactory} (on when PAGERDUTY_* is set);
 * - {@link createPagerDutyIntegration}: the same from an explicit config (tests, embedding);
 * - {@link PAGERDUTY_WEBHOOK_PATH}, {@link signPagerDuty}/{@link verifyPagerDutySignature},
 *   {@link parseDecisionNote}, the errors and {@link setupPagerDuty} (`countersign setup pagerduty`).
 *
 * See README.md in this directory for the variables and the approve/deny mechanism.
 */
import path from 'node:path';
import type { Integration, IntegrationContext, IntegrationFactory } from '../../integration.js';
import { ReplayGuard } from '../../kit/index.js';
import { createPagerDutyChannel } from './channel.js';
import { PagerDutyClient } from './client.js';
import { readPagerDutyConfig, type PagerDutyConfig } from './config.js';
import { PagerDutyIdentities } from './identity.js';
import { mountPagerDutyWebhook } from './webhook.js';

export { PAGERDUTY_CHANNEL, createPagerDutyChannel } from './channel.js';
export { PagerDutyClient } from './client.js';
export { readPagerDutyConfig, readPagerDutyAdminConfig, type PagerDutyConfig } from './config.js';
export * from './errors.js';
export { triggerEvent, resolveEvent, requestLink } from './event.js';
export { parseDecisionNote, looksLikeDecision, DECIDE_HELP, DECIDE_HELP_NOTES, type NoteDecision } from './note.js';
export { signPagerDuty, verifyPagerDutySignature, PAGERDUTY_SIGNATURE_HEADER } from './signature.js';
export { NOT_A_DECISION, NOTES_OFF, PAGERDUTY_WEBHOOK_PATH } from './webhook.js';
export { setupPagerDuty, PAGERDUTY_WEBHOOK_EVENTS } from './setup.js';

/** Builds the integration from an explicit config. */
export function createPagerDutyIntegration(config: PagerDutyConfig, ctx: IntegrationContext): Integration {
  const client = new PagerDutyClient(config);
  const logger = ctx.logger.child({ integration: 'pagerduty' });
  return {
    name: 'pagerduty',
    channel: createPagerDutyChannel(config, client, ctx.publicUrl),
    routes: (app, { decider }) =>
      mountPagerDutyWebhook(app, decider, {
        secret: config.webhookSecret,
        client,
        identities: new PagerDutyIdentities(ctx.approvers, client),
        seen: new ReplayGuard({ file: path.join(ctx.dataDir, 'pagerduty-webhook-events.seen'), max: 10_000 }),
        logger,
        noteDecisions: config.noteDecisions,
      }),
    async close() {
      client.close();
    },
  };
}

/** On when PAGERDUTY_ROUTING_KEY, _API_TOKEN, _WEBHOOK_SECRET and _FROM_EMAIL are set. */
export const pagerdutyIntegration: IntegrationFactory = (ctx) => {
  const config = readPagerDutyConfig(ctx.env);
  return config ? createPagerDutyIntegration(config, ctx) : null;
};
