/**
 * The channel contract (test/channels/contract.ts), run for every channel on one real service:
 * Slack, Teams, PagerDuty and Zendesk against their loopback fakes, and the test-only webhook
 * channel, which is registered with one line (`[...CHANNELS, WEBHOOK_CHANNEL]`) and configured
 * by its own `webhook:` identity key, with no edit anywhere in the service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../integrations/index.js';
import { pagerdutyChannel } from '../channels/adapters/pagerduty.js';
import { slackChannel } from '../channels/adapters/slack.js';
import { teamsChannel } from '../channels/adapters/teams.js';
import { webhookChannel } from '../channels/adapters/webhook.js';
import { zendeskChannel } from '../channels/adapters/zendesk.js';
import { CONTRACT_AGENT_KEY, CONTRACT_CONFIG, CONTRACT_SECRET, contractPolicy, type ChannelUnderTest, type ContractTarget } from '../channels/contract.js';
import { WEBHOOK_CHANNEL } from '../channels/webhook/index.js';
import { eventually } from '../support/eventually.js';
import { startTestService, type TestService } from '../support/service.js';

const target: ContractTarget = { url: '' };
const channels: ChannelUnderTest[] = [slackChannel(target), teamsChannel(target), pagerdutyChannel(target), zendeskChannel(target), webhookChannel(target)];
let svc: TestService;

beforeAll(async () => {
  const env: Record<string, string> = {};
  for (const c of channels) Object.assign(env, await c.start());
  svc = await startTestService({
    config: CONTRACT_CONFIG,
    policies: [],
    extraPolicies: { 'contract.yaml': contractPolicy(channels.map((c) => c.name)) },
    channels: [...CHANNELS, WEBHOOK_CHANNEL],
    env,
    publicUrl: 'https://countersign.example.test',
    callbackSecret: CONTRACT_SECRET,
  });
  target.url = svc.url;
  for (const c of channels) await c.ready?.(svc);
}, 240_000);

afterAll(async () => {
  await svc?.close();
  for (const c of channels) await c.stop();
});

const state = async (id: string) => (await svc.get(CONTRACT_AGENT_KEY, id)).body;
const refusals = async (id: string) => ((await state(id)).history as { event: string; who: string }[]).filter((h) => h.event === 'refused');

describe.each(channels.map((c) => [c.name, c] as const))('the %s channel keeps the channel contract', (name, channel) => {
  let id: string;
  let card: unknown;
  let outsider: ReturnType<ChannelUnderTest['answer']>;

  it('posts the card where the approvers are', async () => {
    const res = await svc.submit(CONTRACT_AGENT_KEY, { blueprint: 'contract', action: `contract.${name}` });
    expect(res).toMatchObject({ status: 201, body: { status: 'pending', approvers: ['contract-approvers'], eligible: ['alice'] } });
    id = res.body.id;
    card = await channel.posted(id);
    // The workflow notes where the card went once the post activity returns, a moment after the vendor has it.
    await eventually(async () => (await state(id)).channel === name, 10_000, 25, `${name} recorded as the serving channel`);
  });

  it('refuses a person who is not an approver, and the workflow records the attempt', async () => {
    outsider = channel.answer(card, id, 'outsider', 'approve');
    const res = await outsider.send();
    expect(res.status).toBeLessThan(500);
    const refused = await eventually(async () => {
      const r = await refusals(id);
      return r.length > 0 && r;
    }, 10_000, 25, 'refused attempt');
    expect(refused).toEqual([expect.objectContaining({ who: expect.stringMatching(new RegExp(`^${name}:`)) })]);
    expect((await state(id)).status).toBe('pending');
  });

  it('refuses the same signed request again, changing nothing', async () => {
    const again = await outsider.send();
    expect(channel.refusedReplay(again), `replay answered ${again.status} ${JSON.stringify(again.body)}`).toBe(true);
    expect(await refusals(id)).toHaveLength(1);
    expect((await state(id)).status).toBe('pending');
  });

  it("counts an approver's signed decision and delivers the verdict to the sandbox", async () => {
    const res = await channel.answer(card, id, 'approver', 'approve').send();
    expect(res.status).toBe(200);
    const verdict = await svc.callbacks.next(id);
    expect(verdict).toMatchObject({ id, status: 'approved', verdict: 'execute', decidedBy: 'alice' });
  });

  it('updates the card to its final state', async () => {
    await eventually(async () => channel.showsFinal(card, id, 'approved'), 60_000, 50, `${name} card in its final state`);
  });
});
