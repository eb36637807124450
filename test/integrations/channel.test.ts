/** The channel registry: the built-in web channel is always there and cannot be replaced. */
import { describe, expect, it } from 'vitest';
import { createChannelRegistry } from '../../integrations/index.js';
import { type ApprovalChannel } from '../../integrations/kit/channel.js';

const channel = (name: string): ApprovalChannel => ({
  name,
  post: async (card) => ({ channel: name, ref: card.id }),
  update: async () => {},
});

describe('createChannelRegistry', () => {
  it('always answers web, and lists the given channels beside it', () => {
    const registry = createChannelRegistry([channel('slack'), channel('teams')]);
    expect(registry.names()).toEqual(['slack', 'teams', 'web']);
    expect(registry.get('web')?.name).toBe('web');
    expect(registry.get('zendesk')).toBeUndefined();
  });

  it('a later channel with the same name replaces the earlier one', () => {
    const later = channel('slack');
    expect(createChannelRegistry([channel('slack'), later]).get('slack')).toBe(later);
  });

  it('refuses a channel named web: the workflow makes web cards itself and would never call it', () => {
    expect(() => createChannelRegistry([channel('web')])).toThrow(
      new Error('the channel name "web" is the built-in web channel\'s; give the integration another name'),
    );
  });
});
