/** Verdict delivery and the card activities, called directly (their retries belong to Temporal). */
import { text } from 'node:stream/consumers';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { deliverVerdict } from '../../activities/deliver.js';
import { signCallback, verifyCallbackSignature } from '../../core/crypto/index.js';
import { createChannelRegistry } from '../../integrations/index.js';
import { type ApprovalChannel } from '../../integrations/kit/channel.js';
import { CountersignError, Finality, type ApprovalCard } from '../../core/index.js';
import { Health } from '../../infra/health.js';
import { initialState } from '../../workflows/approval/state.js';
import { approvalInput, decision } from '../workflows/harness.js';

const SECRET = 'whsec-0123456789abcdef';
let server: http.Server;
let url = '';
let nextStatus = 200;
const seen: { headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const body = await text(req);
    seen.push({ headers: req.headers, body });
    res.writeHead(nextStatus).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const payload = { status: 'approved' as const, verdict: 'execute' as const, reason: 'ok', decidedBy: 'alice', decidedAt: 1_700_000_000_000, requestHash: 'h' };
const deps = { callbackSecretFor: (agent: string) => (agent === 'agent-1' ? SECRET : undefined), now: () => 1_700_000_123_456 };

describe('verifyCallbackSignature', () => {
  const body = '{"id":"x"}';
  const ts = '1700000000';
  const sig = signCallback(SECRET, ts, body);
  it.each([
    ['valid', SECRET, ts, body, sig, 1_700_000_010_000, { ok: true }],
    ['valid among rotated signatures', SECRET, ts, body, `v1=${'0'.repeat(64)}, ${sig}`, 1_700_000_010_000, { ok: true }],
    ['wrong secret', 'other-secret-0000', ts, body, sig, 1_700_000_010_000, { ok: false, reason: 'signature does not match' }],
    ['body changed', SECRET, ts, '{"id":"y"}', sig, 1_700_000_010_000, { ok: false }],
    ['too old', SECRET, ts, body, sig, 1_700_000_400_000, { ok: false, reason: 'timestamp outside the tolerance' }],
    ['no timestamp', SECRET, undefined, body, sig, 1_700_000_010_000, { ok: false }],
    ['no signature', SECRET, ts, body, undefined, 1_700_000_010_000, { ok: false }],
  ] as const)('%s', (_n, secret, t, b, header, now, expected) => {
    expect(verifyCallbackSignature(secret, t, b, header, now, 300)).toMatchObject(expected);
  });
});

describe('deliverVerdict', () => {
  it('POSTs the signed JSON with idempotency headers', async () => {
    nextStatus = 204;
    seen.length = 0;
    await expect(deliverVerdict(deps, { id: 'req-1', callbackUrl: url, agent: 'agent-1', payload })).resolves.toEqual({ status: 204 });
    const [got] = seen;
    expect(got!.headers['idempotency-key']).toBe('req-1');
    expect(got!.headers['countersign-timestamp']).toBe('1700000123');
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['countersign-signature']).toBe(signCallback(SECRET, '1700000123', got!.body));
    expect(JSON.parse(got!.body)).toEqual({ id: 'req-1', ...payload, idempotencyKey: 'req-1' });
  });

  it('non-2xx and network errors are retryable failures', async () => {
    nextStatus = 503;
    await expect(deliverVerdict(deps, { id: 'r', callbackUrl: url, agent: 'agent-1', payload })).rejects.toMatchObject({
      type: 'callback-http-status',
      nonRetryable: false,
    });
    await expect(deliverVerdict(deps, { id: 'r', callbackUrl: 'http://127.0.0.1:1/cb', agent: 'agent-1', payload })).rejects.toMatchObject({
      type: 'callback-unreachable',
      nonRetryable: false,
    });
  });

  it('fails closed without a secret and rejects non-http URLs (final)', async () => {
    seen.length = 0;
    await expect(deliverVerdict(deps, { id: 'r', callbackUrl: url, agent: 'stranger', payload })).rejects.toMatchObject({
      type: 'callback-secret-missing',
      nonRetryable: true,
    });
    expect(seen).toHaveLength(0);
    await expect(deliverVerdict(deps, { id: 'r', callbackUrl: 'file:///etc/passwd', agent: 'agent-1', payload })).rejects.toMatchObject({
      type: 'callback-url-invalid',
      nonRetryable: true,
    });
  });
});

describe('card activities', () => {
  it('post through the named channel, fall back to web when it is not configured, render a redacted card', async () => {
    const posted: ApprovalCard[] = [];
    const slack: ApprovalChannel = {
      name: 'slack',
      post: async (card) => (posted.push(card), { channel: 'slack', ref: 'C1/123.456' }),
      update: async (_ref, card) => void posted.push(card),
    };
    const dataDir = await mkdtemp(path.join(tmpdir(), 'countersign-cards-'));
    const make = (channels: ApprovalChannel[]) =>
      createActivities({ dataDir, channels: createChannelRegistry(channels), callbackSecretFor: () => undefined, logger: pino({ level: 'silent' }) });

    const input = approvalInput({ decision: decision({ channel: 'slack', quorum: 2 }) });
    const state = initialState(input);
    const { history: _h, ...cardState } = state;
    const card = { input, state: { ...cardState, deadline: 1_700_000_000_000 } };

    const withSlack = await make([slack]).postCard({ channel: 'slack', card });
    expect(withSlack).toEqual({ ref: { channel: 'slack', ref: 'C1/123.456' } });
    expect(posted[0]).toMatchObject({
      id: input.id,
      request: { params: { amount: 900, email: '[redacted]' } },
      quorum: { required: 2, approvedBy: [] },
      status: 'pending',
      summary: 'waiting for 2 more approval(s) until 2023-11-14T22:13:20.000Z',
    });

    const fallback = await make([]).postCard({ channel: 'slack', card });
    expect(fallback).toEqual({
      ref: { channel: 'web', ref: `/v1/approvals/${encodeURIComponent(input.id)}` },
      fallback: 'slack integration not configured; built-in web channel serves this approval',
    });

    await make([slack]).updateCard({
      ref: withSlack.ref,
      card: { input, state: { ...cardState, status: 'denied', deniedBy: 'bob', reason: 'too big', decidedAt: 1 } },
    });
    expect(posted.at(-1)).toMatchObject({ status: 'denied', decidedBy: 'bob', summary: 'denied by bob: too big' });
  });

  it('a channel whose vendor rejects calls is degraded in health until it answers again', async () => {
    let reject = true;
    const teams: ApprovalChannel = {
      name: 'teams',
      post: async () => {
        if (reject) throw new CountersignError('teams-rejected', 'Bot Connector answered HTTP 401', { finality: Finality.Final });
        return { channel: 'teams', ref: 'conv/1' };
      },
      update: async () => {},
    };
    const health = new Health(() => Date.parse('2026-12-01T10:00:00Z'));
    const dataDir = await mkdtemp(path.join(tmpdir(), 'countersign-cards-'));
    const activities = createActivities({ dataDir, channels: createChannelRegistry([teams]), callbackSecretFor: () => undefined, logger: pino({ level: 'silent' }), health });
    const input = approvalInput({ decision: decision({ channel: 'teams' }) });
    const { history: _h, ...cardState } = initialState(input);
    const card = { input, state: cardState };

    const failed = await activities.postCard({ channel: 'teams', card }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ type: 'channel-rejected', nonRetryable: true });
    expect(health.degraded()).toEqual([
      { part: 'channel:teams', reason: 'posting the card was rejected: Bot Connector answered HTTP 401', since: '2026-12-01T10:00:00.000Z' },
    ]);
    reject = false;
    await activities.postCard({ channel: 'teams', card });
    expect(health.degraded()).toEqual([]);
  });
});
