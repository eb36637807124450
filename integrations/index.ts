/**
 * The approver channels Countersign ships. Each factory turns itself on when its environment
 * variables are set; the built-in `web` channel is always there (see channel.ts).
 */
import type { Integration, IntegrationContext, IntegrationFactory } from './types.js';
import { createOpenShellIntegration } from './openshell/index.js';
import { pagerdutyIntegration } from './pagerduty/index.js';
import { slackIntegration } from './slack/index.js';
import { teamsIntegration } from './teams/index.js';
import { zendeskIntegration } from './zendesk/index.js';

export { createChannelRegistry } from './channel.js';
export type { ApprovalChannel, ChannelRegistry } from './channel.js';
export type { Integration, IntegrationContext, IntegrationFactory } from './types.js';

/** One line per vendor integration. */
export const INTEGRATION_FACTORIES: readonly IntegrationFactory[] = [
  createOpenShellIntegration,
  pagerdutyIntegration,
  slackIntegration,
  teamsIntegration,
  zendeskIntegration,
];

/** Every configured integration, in a stable order. */
export function loadIntegrations(ctx: IntegrationContext, factories: readonly IntegrationFactory[] = INTEGRATION_FACTORIES): Integration[] {
  const out: Integration[] = [];
  for (const factory of factories) {
    const integration = factory(ctx);
    if (integration !== null) out.push(integration);
  }
  return out;
}
