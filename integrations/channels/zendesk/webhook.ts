/**
 * `POST /webhooks/zendesk`: the Countersign trigger's webhook. Order: signature + 5-minute
 * timestamp window over the raw body (401) → replay guard (a repeat answers 200, does nothing) →
 * payload {@link ZendeskDecisionPayload} (400 when malformed) → the acting agent's email is mapped
 * to an approver (`zendesk` config field, then `email`; unknown → sent as `zendesk:<email>` so the
 * workflow refuses and records it) → the reason is the update's latest comment (REST) → `decide`.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Approver, Decider } from '../../../core/index.js';
import { answer, ApproverDirectory, header, mountRawPost, ReplayGuard, SIGNATURE_WINDOW_MS } from '../../kit/index.js';
import type { ZendeskClient } from './client.js';
import { verifyZendeskSignature, ZENDESK_SIGNATURE_HEADER, ZENDESK_TIMESTAMP_HEADER } from './signature.js';

export const ZENDESK_WEBHOOK_PATH = '/webhooks/zendesk';

/** The JSON body our trigger sends (see setup.ts): placeholders only, no free text. */
export interface ZendeskDecisionPayload {
  ticket_id: string | number;
  external_id: string;
  decision: 'approve' | 'deny';
  actor_email: string;
}

export interface ZendeskWebhookDeps {
  secret: string;
  client: Pick<ZendeskClient, 'request'>;
  approvers: readonly Approver[];
  logger: Logger;
  now?: () => number;
}

function parsePayload(raw: Buffer): ZendeskDecisionPayload | null {
  try {
    const p = JSON.parse(raw.toString('utf8')) as Partial<ZendeskDecisionPayload>;
    const ticketOk = (typeof p.ticket_id === 'string' && /^\d+$/.test(p.ticket_id)) || Number.isInteger(p.ticket_id);
    if (!ticketOk || typeof p.external_id !== 'string' || typeof p.actor_email !== 'string') return null;
    if (p.decision !== 'approve' && p.decision !== 'deny') return null;
    return p as ZendeskDecisionPayload;
  } catch {
    return null;
  }
}

export async function mountZendeskWebhook(app: FastifyInstance, decider: Decider, deps: ZendeskWebhookDeps): Promise<void> {
  // Signatures and invocation ids are remembered for twice the signature window: older ones are refused by the signature check anyway.
  const replay = new ReplayGuard({ windowMs: 2 * SIGNATURE_WINDOW_MS });
  const directory = new ApproverDirectory(deps.approvers, 'zendesk');
  const now = deps.now ?? Date.now;
  await mountRawPost<Buffer>(app, {
    path: ZENDESK_WEBHOOK_PATH,
    as: 'buffer',
    async handler(req, reply, raw) {
      const signature = header(req, ZENDESK_SIGNATURE_HEADER);
      const verdict = verifyZendeskSignature(deps.secret, raw, signature, header(req, ZENDESK_TIMESTAMP_HEADER), now());
      if (!verdict.ok) {
        deps.logger.warn({ ip: req.ip, why: verdict.reason }, 'zendesk webhook refused');
        return reply.code(401).send({ error: verdict.reason });
      }
      const payload = parsePayload(raw);
      if (!payload) return reply.code(400).send({ error: 'expected {ticket_id, external_id, decision, actor_email}' });
      const invocation = header(req, 'x-zendesk-webhook-invocation-id');
      const keys = [`sig:${String(signature)}`, ...(invocation ? [`inv:${invocation}`] : [])];
      if (!replay.claim(keys, now())) return reply.send({ status: 'duplicate' });
      try {
        return reply.send({ status: await handle(payload, decider, directory, deps) });
      } catch (err) {
        replay.release(keys);
        deps.logger.error({ err, ticket: payload.ticket_id }, 'zendesk webhook could not be processed; Zendesk will retry');
        return reply.code(503).send({ error: 'try again' });
      }
    },
  });
}

async function handle(p: ZendeskDecisionPayload, decider: Decider, directory: ApproverDirectory, deps: ZendeskWebhookDeps): Promise<string> {
  if (!p.external_id) return 'ignored';
  const email = p.actor_email.trim().toLowerCase();
  const approver = directory.withIdentity(email, { caseInsensitive: true })[0] ?? directory.withEmail(email)[0];
  const approverId = approver?.id ?? directory.unmapped(email);
  const reason = await latestComment(deps.client, String(p.ticket_id));
  const report = await answer(decider, { id: p.external_id, approverId, decision: p.decision, via: 'zendesk', reason });
  if (report.outcome === 'unrecorded') throw report.error;
  deps.logger.info({ id: p.external_id, approverId, decision: p.decision, outcome: report.outcome }, `zendesk decision: ${report.outcome}`);
  return report.outcome === 'gone' ? 'ignored' : report.outcome;
}

/** The newest comment unless it is the ticket's description or one of Countersign's own notes. */
async function latestComment(client: Pick<ZendeskClient, 'request'>, ticketId: string): Promise<string | undefined> {
  const res = await client.request<{ comments?: { body?: string }[] }>('GET', `/api/v2/tickets/${ticketId}/comments.json?sort_order=desc`);
  const comments = res?.comments ?? [];
  const body = comments.length > 1 ? comments[0]?.body?.trim() : undefined;
  return body && !body.startsWith('Countersign') ? body.slice(0, 2000) : undefined;
}
