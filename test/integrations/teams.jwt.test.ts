/**
 * Teams with authentication on, through botbuilder's real JWT path: the bot is configured with
 * the Bot Framework endpoints of a test "cloud" (TEAMS_OPENID_METADATA_URL and friends, which
 * switch botbuilder to parameterised authentication), a loopback server publishes the OpenID
 * metadata and a JWKS whose key is endorsed for `msteams`, and each activity is signed with our
 * own RSA key. A good token decides; a missing, forged, expired or wrong-audience token, an
 * activity from another channel and one from a tenant not allowed are refused and decide nothing.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsIntegration, readTeamsConfig } from '../../integrations/channels/teams/index.js';
import { cardAction, TEAM_CHANNEL } from '../fakes/teams/activities.js';
import { FakeConnector } from '../fakes/teams/connector.js';
import { startCountersign, type Countersign } from '../support/chat-service.js';
import { temporalAddress, temporalNamespace, uniqueTaskQueue } from '../support/temporal.js';

const APP_ID = 'countersign-test-app';
const ISSUER = 'https://api.botframework.test';
const KID = 'test-signing-key-1';
const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });

let identity: Server;
let base = '';
let fake: FakeConnector;
let cs: Countersign;

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** An RS256 JWT, as the Bot Framework signs the activities it sends to a bot. */
function jwt(claims: Record<string, unknown>, key: KeyObject = signing.privateKey, kid = KID): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${b64url(sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key))}`;
}

beforeAll(async () => {
  const { n, e } = signing.publicKey.export({ format: 'jwk' });
  identity = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') return void res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/v1/keys` }));
    if (req.url === '/v1/keys') return void res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: KID, n, e, endorsements: ['msteams'] }] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => identity.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(identity.address() as AddressInfo).port}`;
  fake = await new FakeConnector().start();
  const env = {
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'test-app-password',
    TEAMS_ALLOWED_TENANTS: 'tenant-1',
    TEAMS_OPENID_METADATA_URL: `${base}/v1/.well-known/openidconfiguration`,
    TEAMS_TOKEN_ISSUER: ISSUER,
    TEAMS_LOGIN_URL: `${base}/login`,
    TEAMS_OAUTH_SCOPE: 'https://api.botframework.test',
  };
  cs = await startCountersign({
    temporalAddress: temporalAddress(),
    namespace: temporalNamespace(),
    taskQueue: uniqueTaskQueue('teams-jwt'),
    integrations: (ctx) => [createTeamsIntegration({ ...ctx, env }, readTeamsConfig(env)!)],
  });
});

afterAll(async () => {
  await cs?.close();
  await fake?.close();
  await new Promise<void>((resolve) => identity?.close(() => resolve()));
});

const now = () => Math.floor(Date.now() / 1000);
const good = () => ({ iss: ISSUER, aud: APP_ID, serviceurl: fake.serviceUrl, nbf: now() - 60, exp: now() + 3600 });

async function post(activity: Record<string, unknown>, token: string | null): Promise<number> {
  const res = await fetch(`${cs.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(activity),
  });
  await res.text();
  return res.status;
}

describe('Teams inbound authentication (botbuilder parameterised JWT validation)', () => {
  let id: string;
  let hash: string;
  beforeAll(async () => {
    const res = await cs.submit({ action: 'account.modify', params: { plan: 'enterprise' } });
    expect(res.status).toBe(201);
    id = res.body.id;
    hash = ((await cs.service.client.workflow.getHandle(id).query('state')) as { requestHash: string }).requestHash;
  });

  const approve = (over: { channelId?: string; tenant?: string } = {}) => {
    const activity = cardAction(fake.serviceUrl, 'aad-bob', TEAM_CHANNEL, 'activity-1', 'approve', { i: id, h: hash }) as Record<string, any>;
    if (over.channelId) activity.channelId = over.channelId;
    if (over.tenant) activity.conversation = { ...activity.conversation, tenantId: over.tenant };
    return activity;
  };

  it.each([
    { name: 'no token', token: () => null, activity: () => approve(), status: 401 },
    { name: 'a token signed with another key', token: () => jwt(good(), forger.privateKey), activity: () => approve(), status: 401 },
    { name: 'an expired token', token: () => jwt({ ...good(), nbf: now() - 7200, exp: now() - 3600 }), activity: () => approve(), status: 401 },
    { name: 'a token for another bot', token: () => jwt({ ...good(), aud: 'another-bot' }), activity: () => approve(), status: 401 },
    { name: 'another issuer', token: () => jwt({ ...good(), iss: 'https://evil.test' }), activity: () => approve(), status: 401 },
    { name: 'an activity from another channel (the key is endorsed for msteams only)', token: () => jwt(good()), activity: () => approve({ channelId: 'slack' }), status: 401 },
    { name: 'a tenant not in TEAMS_ALLOWED_TENANTS', token: () => jwt(good()), activity: () => approve({ tenant: 'tenant-evil' }), status: 403 },
  ])('refuses $name, and nothing is decided', async ({ token, activity, status }) => {
    expect(await post(activity(), token())).toBe(status);
    const state = (await cs.service.client.workflow.getHandle(id).query('state')) as { status: string; approvedBy: string[] };
    expect(state).toMatchObject({ status: 'pending', approvedBy: [] });
  });

  it('accepts a good token from an allowed tenant: the approval counts', async () => {
    expect(await post(approve(), jwt(good()))).toBe(200);
    const verdict = await cs.callbacks.next(id);
    expect(verdict).toMatchObject({ status: 'approved', decidedBy: 'bob' });
  });
});
