/** The Slack channel against the loopback Slack fake: signed block_actions clicks on the posted card. */
import { blockActions, postSigned, signPayload } from '../../fakes/slack/signed.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { eventually } from '../../support/eventually.js';
import { PEOPLE, type ChannelUnderTest, type ContractTarget } from '../contract.js';

const SECRET = 'slack-signing-secret-for-contract';
const CHANNEL = 'CCONTRACT';

interface Card {
  ts: string;
  value: string;
}

export function slackChannel(target: ContractTarget): ChannelUnderTest {
  const slack = new FakeSlack({ token: 'xoxb-contract', users: { [PEOPLE.outsider.slack]: { email: PEOPLE.outsider.email } } });
  const message = (id: string) => [...slack.messages.values()].find((m) => m.channel === CHANNEL && JSON.stringify(m.blocks).includes(id));
  return {
    name: 'slack',
    async start() {
      await slack.start();
      return { SLACK_BOT_TOKEN: 'xoxb-contract', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, SLACK_CHANNEL: CHANNEL, SLACK_POST_INTERVAL_MS: '0' };
    },
    async posted(id) {
      const m = await eventually(() => message(id), 30_000, 25, 'Slack card');
      const actions = (m.blocks as any[]).find((b) => b.type === 'actions');
      return { ts: m.ts as string, value: actions.elements[0].value as string } satisfies Card;
    },
    answer(card, _id, who, decision) {
      const c = card as Card;
      const user = who === 'approver' ? PEOPLE.approver.slack : PEOPLE.outsider.slack;
      // Deny opens a modal in Slack; the contract answers with Approve, whose click alone decides.
      if (decision !== 'approve') throw new Error('the Slack contract answers with Approve');
      const req = signPayload(SECRET, blockActions({ user, actionId: 'countersign_approve', value: c.value, channel: CHANNEL, ts: c.ts, responseUrl: `${slack.url}/response/${user}` }));
      return { send: () => postSigned(target.url, req).then((r) => ({ status: r.status, body: r.text })) };
    },
    refusedReplay: (res) => res.status === 409,
    showsFinal: (_card, id, status) => JSON.stringify(message(id)?.blocks ?? []).includes(status === 'approved' ? '*Approved* by alice' : '*Denied* by alice'),
    stop: () => slack.close(),
  };
}
