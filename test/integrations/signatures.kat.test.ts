/**
 * Known-answer vectors for every signature scheme a channel verifies or Countersign signs, so a
 * verifier and the fake that signs for it cannot agree on a wrong scheme between themselves.
 *
 * - Slack: the example of "Verifying requests from Slack" (api.slack.com/docs/verifying-requests-
 *   from-slack), as python-slack-sdk's and bolt-js's test suites quote it.
 * - PagerDuty Webhooks v3: PagerDuty publishes the scheme but no vector; this one is go-pagerduty's
 *   (webhookv3/webhookv3_test.go at d34fb98c), recomputed independently.
 * - Countersign's verdict callback: the vector docs/http-api.md publishes.
 * - Zendesk publishes no vector for its current scheme (its only example predates the timestamp-
 *   first string to sign), so Zendesk has none here.
 */
import { verifySlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { signCallback, verifyCallbackSignature } from '../../core/crypto/index.js';
import { verifyPagerDutySignature } from '../../integrations/channels/pagerduty/signature.js';
import { slackSignature } from '../fakes/slack/signed.js';

const SLACK = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

const PAGERDUTY = {
  secret: 'lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK',
  body: '{"event":{"id":"01BWDWL3NYY7LUFPZCC28QUCMK","event_type":"incident.priority_updated","resource_type":"incident","occurred_at":"2021-04-26T17:36:27.458Z","agent":{"html_url":"https://acme.pagerduty.com/users/PLH1HKV","id":"PLH1HKV","self":"https://api.pagerduty.com/users/PLH1HKV","summary":"Tenex Engineer","type":"user_reference"},"client":null,"data":{"id":"PGR0VU2","type":"incident","self":"https://api.pagerduty.com/incidents/PGR0VU2","html_url":"https://acme.pagerduty.com/incidents/PGR0VU2","number":2,"status":"triggered","title":"A little bump in the road","service":{"html_url":"https://acme.pagerduty.com/services/PF9KMXH","id":"PF9KMXH","self":"https://api.pagerduty.com/services/PF9KMXH","summary":"API Service","type":"service_reference"},"assignees":[{"html_url":"https://acme.pagerduty.com/users/PTUXL6G","id":"PTUXL6G","self":"https://api.pagerduty.com/users/PTUXL6G","summary":"User 123","type":"user_reference"}],"escalation_policy":{"html_url":"https://acme.pagerduty.com/escalation_policies/PUS0KTE","id":"PUS0KTE","self":"https://api.pagerduty.com/escalation_policies/PUS0KTE","summary":"Default","type":"escalation_policy_reference"},"teams":[{"html_url":"https://acme.pagerduty.com/teams/PFCVPS0","id":"PFCVPS0","self":"https://api.pagerduty.com/teams/PFCVPS0","summary":"Engineering","type":"team_reference"}],"priority":{"html_url":"https://acme.pagerduty.com/account/incident_priorities","id":"PSO75BM","self":"https://api.pagerduty.com/priorities/PSO75BM","summary":"P1","type":"priority_reference"},"urgency":"high","conference_bridge":{"conference_number":1000,"conference_url":"https://example.com"},"resolve_reason":null}}}',
  valid: 'v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd',
  invalid: 'v1=7020c8a7ec668a9b7012bc3dd82e483394b038f4230acc6785efbf2a7d8bcaf5',
};

const CALLBACK = {
  secret: 'whsec-example-0123456789',
  timestamp: '1767225600',
  body: '{"id":"act_acme_0123","status":"approved","verdict":"execute"}',
  signature: 'v1=81703edc439ac40f1dee42dbe5a5338d50b713c92e7ff686aa39a91bfda0066b',
};

describe('Slack request signing (v0)', () => {
  it("the fake signs Slack's example exactly", () => {
    expect(slackSignature(SLACK.secret, SLACK.timestamp, SLACK.body)).toBe(SLACK.signature);
  });

  it.each([
    { name: "Slack's example", body: SLACK.body, signature: SLACK.signature, ok: true },
    { name: 'the example with one byte changed', body: SLACK.body.replace('roadrunner', 'roadrunnes'), signature: SLACK.signature, ok: false },
    { name: 'the example with another signature', body: SLACK.body, signature: `v0=${'0'.repeat(64)}`, ok: false },
  ])('the verifier the receiver uses: $name → $ok', ({ body, signature, ok }) => {
    const verify = () =>
      verifySlackRequest({ signingSecret: SLACK.secret, body, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': SLACK.timestamp }, nowMilliseconds: SLACK.timestamp * 1000 });
    if (ok) expect(verify).not.toThrow();
    else expect(verify).toThrow(/signature mismatch/);
  });
});

describe('PagerDuty Webhooks v3 signing (v1)', () => {
  it.each([
    { name: 'the valid signature', header: PAGERDUTY.valid, ok: true },
    { name: 'the mismatching one', header: PAGERDUTY.invalid, ok: false },
    { name: 'both, during a secret rotation', header: `${PAGERDUTY.invalid},${PAGERDUTY.valid}`, ok: true },
    { name: 'no header', header: undefined, ok: false },
  ])('$name → $ok', ({ header, ok }) => {
    expect(verifyPagerDutySignature(PAGERDUTY.secret, Buffer.from(PAGERDUTY.body, 'utf8'), header)).toBe(ok);
  });
});

describe('Countersign verdict callback signing (v1)', () => {
  it('signs and verifies the published example', () => {
    expect(signCallback(CALLBACK.secret, CALLBACK.timestamp, CALLBACK.body)).toBe(CALLBACK.signature);
    expect(verifyCallbackSignature(CALLBACK.secret, CALLBACK.timestamp, CALLBACK.body, CALLBACK.signature, Number(CALLBACK.timestamp) * 1000)).toEqual({ ok: true });
    expect(verifyCallbackSignature(CALLBACK.secret, CALLBACK.timestamp, `${CALLBACK.body} `, CALLBACK.signature, Number(CALLBACK.timestamp) * 1000)).toEqual({ ok: false, reason: 'signature does not match' });
  });
});
