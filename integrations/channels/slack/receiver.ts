/**
 * Bolt mounted on the service's fastify at `POST /slack/events` (HTTP mode). A custom Bolt
 * {@link Receiver}: the route keeps the raw body (own content-type parsers inside an encapsulated
 * plugin), checks the `v0=` signature with Bolt's `verifySlackRequest` over
 * `v0:{timestamp}:{raw body}`, rejects timestamps more than 5 minutes off (either way) and exact
 * replays, then hands the parsed payload to `app.processEvent`. The HTTP answer is whatever the
 * listener passes to `ack()`, sent as soon as it acks; the listener's remaining work continues.
 */
import { verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { header, mountRawPost, withinWindow, type ReplayGuard } from '../../kit/index.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface ReceiverOptions {
  signingSecret: string;
  replay: ReplayGuard;
  logger: Logger;
  now?: () => number;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    return payload !== null ? (JSON.parse(payload) as Record<string, unknown>) : Object.fromEntries(form);
  }
  return JSON.parse(raw) as Record<string, unknown>;
}

/** Bolt receiver whose only transport is the fastify route it registers. */
export class FastifySlackReceiver implements Receiver {
  private app: App | null = null;

  constructor(private readonly options: ReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Registers the route in its own encapsulated scope (the raw-body parsers stay inside it). */
  async register(fastify: FastifyInstance): Promise<void> {
    await mountRawPost<string>(fastify, {
      path: SLACK_EVENTS_PATH,
      contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
      as: 'string',
      handler: (req, reply, raw) => this.handle(req, reply, raw),
    });
  }

  private reject(reply: FastifyReply, status: number, why: string): FastifyReply {
    this.options.logger.warn({ status, why }, 'slack request rejected');
    return reply.code(status).send({ ok: false, error: why });
  }

  private async handle(req: FastifyRequest, reply: FastifyReply, raw: string): Promise<FastifyReply> {
    const ts = header(req, 'x-slack-request-timestamp') ?? '';
    const signature = header(req, 'x-slack-signature') ?? '';
    const now = (this.options.now ?? Date.now)();
    if (!/^\d{1,12}$/.test(ts) || !signature) return this.reject(reply, 401, 'missing or malformed Slack signature headers');
    if (!withinWindow(Number(ts) * 1000, now)) return this.reject(reply, 401, 'stale or future Slack request timestamp');
    try {
      verifySlackRequest({ signingSecret: this.options.signingSecret, body: raw, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(ts) }, nowMilliseconds: now });
    } catch {
      return this.reject(reply, 401, 'Slack signature does not match');
    }
    if (!this.options.replay.claim([signature], now, Number(ts) * 1000)) return this.reject(reply, 409, 'replayed Slack request');
    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, req.headers['content-type']);
    } catch {
      return this.reject(reply, 400, 'Slack request body is not valid');
    }
    if (body.type === 'url_verification') return reply.send({ challenge: body.challenge });
    if (body.ssl_check) return reply.send('');
    const app = this.app;
    if (!app) return this.reject(reply, 503, 'Slack app not initialised');
    let ack!: (value: unknown) => void;
    const acked = new Promise<{ response: unknown }>((resolve) => (ack = (response) => resolve({ response })));
    const retryNum = Number(req.headers['x-slack-retry-num']);
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => ack(response),
      ...(Number.isInteger(retryNum) ? { retryNum, retryReason: String(req.headers['x-slack-retry-reason'] ?? '') } : {}),
    };
    const processing = app.processEvent(event).then(
      () => null,
      (err: unknown) => {
        this.options.logger.error({ err: (err as Error).message }, 'slack listener failed');
        return 'failed' as const;
      },
    );
    const first = await Promise.race([acked, processing]);
    if (first === null) return reply.code(404).send({ ok: false, error: 'no handler for this Slack request' });
    if (first === 'failed') return reply.code(500).send({ ok: false, error: 'internal error' });
    const response = first.response;
    if (response === undefined || response === '') return reply.code(200).send('');
    return typeof response === 'string' ? reply.type('text/plain').send(response) : reply.send(response);
  }
}
