/**
 * The Teams channel against the loopback Bot Connector fake, botbuilder in insecure test mode (no
 * JWT: that path is the Teams hardening's own test): Action.Execute invokes on the posted card.
 */
import { cardAction, linkMessage, postActivity, TEAM_CHANNEL } from '../../fakes/teams/activities.js';
import { FakeConnector } from '../../fakes/teams/connector.js';
import { eventually } from '../../support/eventually.js';
import { PEOPLE, type ChannelUnderTest, type ContractTarget } from '../contract.js';

interface Card {
  activityId: string;
  data: Record<string, unknown>;
}

export function teamsChannel(target: ContractTarget): ChannelUnderTest {
  const fake = new FakeConnector();
  const activity = (id: string) => [...fake.activities.entries()].find(([key, a]) => key.startsWith(`${TEAM_CHANNEL}/`) && JSON.stringify(a).includes(id));
  return {
    name: 'teams',
    async start() {
      await fake.start();
      return { TEAMS_INSECURE_TEST_MODE: '1' };
    },
    async ready() {
      const linked = await postActivity(target.url, linkMessage(fake.serviceUrl, PEOPLE.approver.teams, 'contract-approvers'));
      if (linked.status !== 200) throw new Error(`linking the Teams conversation failed: HTTP ${linked.status}`);
      await eventually(() => fake.calls.some((c) => JSON.stringify(c.body).includes('Linked: approval cards for contract-approvers')), 10_000, 25, 'Teams link');
    },
    async posted(id) {
      const [key, a] = await eventually(() => activity(id), 30_000, 25, 'Teams card');
      const approve = a.attachments[0].content.actions.find((x: any) => x.verb === 'approve');
      return { activityId: key.split('/').pop()!, data: approve.data } satisfies Card;
    },
    answer(card, _id, who, decision) {
      const c = card as Card;
      const aad = who === 'approver' ? PEOPLE.approver.teams : PEOPLE.outsider.teams;
      const invoke = cardAction(fake.serviceUrl, aad, TEAM_CHANNEL, c.activityId, decision, { ...c.data, ...(decision === 'deny' ? { reason: 'no' } : {}) });
      return { send: () => postActivity(target.url, invoke) };
    },
    refusedReplay: (res) => res.body?.statusCode === 409,
    // The final card has no buttons left to carry the id: look it up by the activity it replaced.
    showsFinal: (card, _id, status) =>
      JSON.stringify(fake.activities.get(`${TEAM_CHANNEL}/${(card as Card).activityId}`) ?? {}).includes(status === 'approved' ? '**Approved** by alice' : '**Denied** by alice'),
    stop: () => fake.close(),
  };
}
