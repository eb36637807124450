/**
 * A test-only channel, built from the kit exactly as a real one is, to show what adding a channel
 * takes: this folder plus one registry line ({@link WEBHOOK_CHANNEL}). Nothing in triggers/,
 * workflows/ or the config schema knows it: its name reaches policies and its identity key
 * (`webhook:`) reaches countersign.yaml through the registry.
 *
 * Outbound: every card is POSTed, signed, to `WEBHOOK_CHANNEL_URL`. Inbound: `POST
 * /webhooks/test-channel` with `{approval, requestHash, decision, reason?, user}`, signed
 * `x-webhook-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with
 * `x-webhook-timestamp: <unix seconds>` (5-minute window); each signature is acted on once.
 */
import { z } from 'zod';
import type { ApprovalCard, ChannelRef, DecisionValue } from '../../../core/index.js';
import type { ChannelDefinition, IntegrationFactory } from '../../../integrations/index.js';
import {
  answer,
  ApproverDirectory,
  channelErrors,
  describeProblems,
  header,
  hmacSha256,
  httpUrl,
  mountRawPost,
  readEnv,
  ReplayGuard,
  requireSet,
  safeEqual,
  SIGNATURE_WINDOW_MS,
  withinWindow,
} from '../../../integrations/kit/index.js';

export const WEBHOOK_PATH = '/webhooks/test-channel';

const errors = channelErrors('webhook', { retryable: { Unreachable: 'webhook-unreachable' } });
class WebhookChannelError extends errors.ChannelError {}

const sign = (secret: string, timestamp: string, body: string) => `sha256=${hmacSha256(secret, [`${timestamp}.${body}`], 'hex')}`;

const readConfig = (env: Readonly<Record<string, string | undefined>>) =>
  readEnv(env, {
    variables: ['WEBHOOK_CHANNEL_URL', 'WEBHOOK_CHANNEL_SECRET'],
    schema: (present) =>
      z
        .object({ WEBHOOK_CHANNEL_URL: httpUrl.optional(), WEBHOOK_CHANNEL_SECRET: z.string().min(16, 'needs at least 16 characters').optional() })
        .superRefine((v, ctx) => {
          if (!v.WEBHOOK_CHANNEL_URL) requireSet(ctx, 'WEBHOOK_CHANNEL_URL', `${present.join(', ')} is set`);
          if (!v.WEBHOOK_CHANNEL_SECRET) requireSet(ctx, 'WEBHOOK_CHANNEL_SECRET', `${present.join(', ')} is set`);
        })
        .transform((v) => ({ url: v.WEBHOOK_CHANNEL_URL!, secret: v.WEBHOOK_CHANNEL_SECRET! })),
    fail: (problems) => new WebhookChannelError(errors.codes.Final.ConfigInvalid, describeProblems(problems)),
  });

const Decision = z.strictObject({
  approval: z.string().min(1),
  requestHash: z.string().min(1),
  decision: z.enum(['approve', 'deny']),
  reason: z.string().max(2000).optional(),
  user: z.string().min(1).max(200),
});

export const webhookIntegration: IntegrationFactory = (ctx) => {
  const config = readConfig(ctx.env);
  if (!config) return null;
  const deliver = async (event: 'posted' | 'updated', card: ApprovalCard): Promise<void> => {
    const body = JSON.stringify({ event, card });
    const timestamp = String(Math.floor(Date.now() / 1000));
    let res: Response;
    try {
      res = await fetch(config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-timestamp': timestamp, 'x-webhook-signature': sign(config.secret, timestamp, body) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new WebhookChannelError(errors.codes.Retryable.Unreachable, `${config.url} unreachable: ${(error as Error).message}`);
    }
    await res.body?.cancel();
    if (!res.ok) throw new WebhookChannelError(errors.codes.Retryable.Unreachable, `${config.url} answered HTTP ${res.status}`, { status: res.status });
  };
  const directory = new ApproverDirectory(ctx.approvers, 'webhook');
  const replay = new ReplayGuard({ windowMs: 2 * SIGNATURE_WINDOW_MS });
  return {
    name: 'webhook',
    channel: {
      name: 'webhook',
      async post(card): Promise<ChannelRef> {
        await deliver('posted', card);
        return { channel: 'webhook', ref: card.id };
      },
      update: (_ref, card) => deliver('updated', card),
    },
    async routes(app, { decider }) {
      await mountRawPost<string>(app, {
        path: WEBHOOK_PATH,
        as: 'string',
        async handler(req, reply, raw) {
          const timestamp = header(req, 'x-webhook-timestamp') ?? '';
          const signature = header(req, 'x-webhook-signature') ?? '';
          if (!/^\d{1,12}$/.test(timestamp) || !withinWindow(Number(timestamp) * 1000, Date.now()) || !safeEqual(signature, sign(config.secret, timestamp, raw))) {
            return reply.code(401).send({ error: 'bad or stale signature' });
          }
          if (!replay.claim([signature])) return reply.code(409).send({ error: 'replayed request' });
          let d: z.infer<typeof Decision>;
          try {
            d = Decision.parse(JSON.parse(raw));
          } catch {
            return reply.code(400).send({ error: 'expected {approval, requestHash, decision, reason?, user}' });
          }
          const approverId = directory.withIdentity(d.user)[0]?.id ?? directory.unmapped(d.user);
          const report = await answer(decider, { id: d.approval, approverId, decision: d.decision as DecisionValue, via: 'webhook', requestHash: d.requestHash, reason: d.reason });
          if (report.outcome === 'unrecorded') {
            replay.release([signature]);
            return reply.code(503).send({ error: 'try again' });
          }
          return reply.send({ status: report.outcome, feedback: report.feedback });
        },
      });
    },
  };
};

/** The one registry line that adds this channel: `[...CHANNELS, WEBHOOK_CHANNEL]`. */
export const WEBHOOK_CHANNEL: ChannelDefinition = { name: 'webhook', identityKey: 'webhook', load: async () => webhookIntegration };
