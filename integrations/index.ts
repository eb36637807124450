/**
 * integrations: where approvers answer (channels/) and where agents' actions arrive besides the
 * HTTP API (front-doors/), built from one kit (kit/). Every integration turns itself on when its
 * environment variables are set; the built-in `web` channel is always there.
 */
import type { Integration, IntegrationContext, IntegrationDefinition } from './integration.js';
import { CHANNELS } from './channels/index.js';
import { FRONT_DOORS } from './front-doors/index.js';

export { CHANNELS, channelNames, createChannelRegistry, identityKeys } from './channels/index.js';
export { FRONT_DOORS } from './front-doors/index.js';
export type { ApprovalChannel, ChannelRegistry } from './kit/channel.js';
export type {
  ChannelDefinition,
  Integration,
  IntegrationContext,
  IntegrationDefinition,
  IntegrationFactory,
  Ports,
} from './integration.js';

/** Every configured integration of `definitions` (default: the front doors, then the channels), in order. */
export async function loadIntegrations(
  ctx: IntegrationContext,
  definitions: readonly IntegrationDefinition[] = [...FRONT_DOORS, ...CHANNELS],
): Promise<Integration[]> {
  const out: Integration[] = [];
  for (const definition of definitions) {
    const integration = (await definition.load())(ctx);
    if (integration !== null) out.push(integration);
  }
  return out;
}
