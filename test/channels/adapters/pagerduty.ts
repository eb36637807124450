/**
 * The PagerDuty channel against the HTTPS PagerDuty fake (test CA): Webhooks v3 `incident.annotated`
 * deliveries, signed as PagerDuty documents (`v1=` hex HMAC-SHA256 of the raw body), with note
 * decisions switched on (PAGERDUTY_NOTE_DECISIONS=trusted).
 */
import { createHmac } from 'node:crypto';
import { annotatedEvent, startFakePagerDuty, type FakeIncident, type FakePagerDuty } from '../../fakes/pagerduty/server.js';
import { createTestCa, type TestCa } from '../../fakes/tls.js';
import { eventually } from '../../support/eventually.js';
import { PEOPLE, type ChannelUnderTest, type ContractTarget } from '../contract.js';

const SECRET = 'pd-webhook-secret-for-contract';
let events = 0;

export function pagerdutyChannel(target: ContractTarget): ChannelUnderTest {
  let ca: TestCa;
  let pd: FakePagerDuty;
  const incident = (id: string) => pd.incidents.find((i) => i.dedupKey === id);
  return {
    name: 'pagerduty',
    async start() {
      ca = createTestCa();
      pd = await startFakePagerDuty({ tls: ca, token: 'pd-contract-token', routingKeys: ['R0UTINGKEY'], users: { [PEOPLE.outsider.pagerduty]: { email: PEOPLE.outsider.email, name: 'Mallory' } } });
      return {
        PAGERDUTY_ROUTING_KEY: 'R0UTINGKEY',
        PAGERDUTY_API_TOKEN: 'pd-contract-token',
        PAGERDUTY_WEBHOOK_SECRET: SECRET,
        PAGERDUTY_FROM_EMAIL: 'countersign@example.com',
        PAGERDUTY_EVENTS_HOST: pd.host,
        PAGERDUTY_API_HOST: pd.host,
        PAGERDUTY_CA_FILE: ca.caFile,
        // Notes decide only when the operator trusts every REST key holder; the contract answers by note.
        PAGERDUTY_NOTE_DECISIONS: 'trusted',
      };
    },
    posted: (id) => eventually(() => incident(id), 30_000, 25, 'PagerDuty incident'),
    answer(card, _id, who, decision) {
      const user = who === 'approver' ? PEOPLE.approver.pagerduty : PEOPLE.outsider.pagerduty;
      const body = annotatedEvent(`EVCONTRACT${++events}`, (card as FakeIncident).id, user, decision === 'approve' ? 'approve' : 'deny: no');
      const signature = `v1=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
      return {
        send: () =>
          fetch(`${target.url}/webhooks/pagerduty`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signature }, body }).then(async (r) => ({
            status: r.status,
            body: await r.json(),
          })),
      };
    },
    refusedReplay: (res) => res.status === 200 && res.body?.status === 'duplicate',
    showsFinal: (card, _id, status) => {
      const i = card as FakeIncident;
      return i.status === 'resolved' && i.notes.some((n) => n.content.includes(`${status} by alice`));
    },
    async stop() {
      await pd?.close();
      ca?.cleanup();
    },
  };
}
