/**
 * Slack approval cards (Bolt). Public API of this folder:
 * - {@link slackIntegration}: the {@link IntegrationFactory} (`INTEGRATION_FACTORIES` lists it);
 *   null when no `SLACK_*` variable is set, throws naming the variable when half-configured.
 * - {@link createSlackIntegration}: the same from an explicit {@link SlackConfig} (tests, embedding).
 * - the card renderer, ids, errors and config reader, for tests and other channels.
 *
 * Outbound: the `slack` {@link ApprovalChannel} posts Block Kit cards and updates them in place.
 * Inbound (HTTP mode): `POST /slack/events` on the service's port, signature-checked, replay-
 * guarded; clicks become `decide` updates through the {@link Decider}. Socket Mode: set
 * `SLACK_APP_TOKEN`; Bolt connects out and no route is mounted.
 */
import type { App } from '@slack/bolt';
import { webApi } from '@slack/bolt';
import type { ApprovalChannel } from '../../kit/channel.js';
import type { Integration, IntegrationContext, IntegrationFactory } from '../../integration.js';
import { clientOptions, createBoltApp } from './bolt.js';
import { createSlackChannel } from './channel.js';
import { readSlackConfig, type SlackConfig } from './config.js';
import { registerSlackHandlers } from './handlers.js';
import { SlackIdentity } from './identity.js';
import { SlackOutbound } from './outbound.js';
import { FastifySlackReceiver } from './receiver.js';
import { ReplayGuard, SIGNATURE_WINDOW_MS } from '../../kit/index.js';

export { fallbackText, renderBlocks, SlackIds, type ButtonValue } from './card.js';
export { denyModal, type DenyMetadata } from './modal.js';
export { readSlackConfig, parseChannelMap, channelFor, type SlackConfig } from './config.js';
export { SlackErrorCode, SlackIntegrationError } from './errors.js';
export { SLACK_CHANNEL_NAME } from './channel.js';
export { SLACK_EVENTS_PATH } from './receiver.js';
export { escapeMrkdwn, slackDate, truncate } from './text.js';

/** Test and embedding hooks. */
export interface SlackOverrides {
  /** Clock for the signature window (epoch ms). */
  now?: () => number;
}

/** The integration from an explicit config. */
export function createSlackIntegration(ctx: IntegrationContext, config: SlackConfig, overrides: SlackOverrides = {}): Integration {
  const logger = ctx.logger.child({ integration: 'slack' });
  const web = new webApi.WebClient(config.botToken, clientOptions(config));
  const identity = new SlackIdentity(web, ctx.approvers, logger);
  const channel: ApprovalChannel = createSlackChannel(new SlackOutbound(web, { intervalMs: config.postIntervalMs }), config, (id) => identity.mention(id));
  const receiver =
    config.mode === 'http' ? new FastifySlackReceiver({ signingSecret: config.signingSecret ?? '', replay: new ReplayGuard({ windowMs: SIGNATURE_WINDOW_MS }), logger, ...(overrides.now ? { now: overrides.now } : {}) }) : null;
  let app: App | null = null;
  return {
    name: 'slack',
    channel,
    async routes(fastify, { decider }) {
      app = createBoltApp(config, web, logger, receiver);
      registerSlackHandlers(app, { decider, identity, logger });
      if (receiver) await receiver.register(fastify);
    },
    async start() {
      if (config.mode === 'socket' && app) await app.start();
    },
    async close() {
      if (config.mode === 'socket' && app) await app.stop();
    },
  };
}

/** The factory: Slack on when `SLACK_*` variables are set (see config.ts for the list). */
export const slackIntegration: IntegrationFactory = (ctx) => {
  const config = readSlackConfig(ctx.env);
  return config ? createSlackIntegration(ctx, config) : null;
};
