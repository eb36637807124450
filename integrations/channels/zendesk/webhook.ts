/**
 * `POST /webhooks/zendesk`: the Countersign trigger's webhook. Order: signature + 5-minute
 * timestamp window over the raw body (401) → replay guard (a repeat answers 200, does nothing) →
 * payload {@link ZendeskDecisionPayload} (400 when malformed) → the acting agent's email is mapped
 * to an approver (`zendesk` config field, then `email`; unknown → sent as `zendesk:<email>` so the
 * workflow refuses and records it) → the ticket's audits: the audit that added the decision tag
 * says how it was made (`via.channel`), and only a change made in the agent interface (`web`)
 * decides; one made through the REST API (`api`) or by anything else is recorded as refused, since
 * any API token can set a tag as anyone → the deny reason is the comment in that same audit → the
 * request hash written in the ticket's description binds the decision to the request shown →
 * `decide`. Anything that fails on our side answers 503, so Zendesk retries the delivery: the
 * trigger has already removed the tag, and the delivery is the only copy of the decision.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Approver, Decider } from '../../../core/index.js';
import { answer, ApproverDirectory, header, mountRawPost, ReplayGuard, SIGNATURE_WINDOW_MS } from '../../kit/index.js';
import type { ZendeskClient } from './client.js';
import { verifyZendeskSignature, ZENDESK_SIGNATURE_HEADER, ZENDESK_TIMESTAMP_HEADER } from './signature.js';
import { ZendeskTag } from './ticket.js';

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
  const tag = p.decision === 'approve' ? ZendeskTag.Approve : ZendeskTag.Deny;
  const audits = await auditsOf(deps.client, String(p.ticket_id));
  const change = [...audits].reverse().find((a) => (a.events ?? []).some((e) => addsTag(e, tag)));
  const refuse = async (why: string): Promise<string> => {
    await decider.refuse(p.external_id, { who: approverId, via: 'zendesk', why });
    deps.logger.info({ id: p.external_id, approverId, ticket: p.ticket_id }, `zendesk decision refused: ${why}`);
    return 'refused';
  };
  if (!change) return refuse(`no change of ticket ${p.ticket_id} added the tag ${tag}`);
  if (change.via?.channel !== AGENT_INTERFACE) {
    return refuse(`the tag ${tag} was set through ${change.via?.channel ?? 'an unknown channel'}, not by an agent in Zendesk: only a change made in the agent interface decides`);
  }
  const comment = (change.events ?? []).find((e) => e.type === 'Comment')?.body?.trim();
  const reason = comment && !comment.startsWith('Countersign') ? comment.slice(0, 2000) : undefined;
  const requestHash = descriptionHash(audits);
  const report = await answer(decider, { id: p.external_id, approverId, decision: p.decision, via: 'zendesk', reason, ...(requestHash ? { requestHash } : {}) });
  if (report.outcome === 'unrecorded') throw report.error;
  deps.logger.info({ id: p.external_id, approverId, decision: p.decision, outcome: report.outcome }, `zendesk decision: ${report.outcome}`);
  return report.outcome === 'gone' ? 'ignored' : report.outcome;
}

/** `via.channel` of a change made by an agent in Zendesk's agent interface (macros included). */
const AGENT_INTERFACE = 'web';

interface AuditEvent {
  type?: string;
  field_name?: string;
  value?: unknown;
  previous_value?: unknown;
  body?: string;
}
interface Audit {
  via?: { channel?: string };
  events?: AuditEvent[];
}

const tagsIn = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : []);

/** A tags event that adds `tag` (a Change from a list without it, or the ticket's Create). */
function addsTag(e: AuditEvent, tag: string): boolean {
  if (e.field_name !== 'tags' || !tagsIn(e.value).includes(tag)) return false;
  return e.type === 'Create' || (e.type === 'Change' && !tagsIn(e.previous_value).includes(tag));
}

/** Every audit of the ticket, oldest first (a few pages at most). */
async function auditsOf(client: Pick<ZendeskClient, 'request'>, ticketId: string): Promise<Audit[]> {
  const all: Audit[] = [];
  let path: string | null = `/api/v2/tickets/${ticketId}/audits.json`;
  for (let page = 0; path && page < 10; page++) {
    const res: { audits?: Audit[]; next_page?: string | null } = await client.request('GET', path);
    all.push(...(res?.audits ?? []));
    path = res?.next_page ? new URL(res.next_page).pathname + new URL(res.next_page).search : null;
  }
  return all;
}

/** The request hash the ticket's description shows (see ticket.ts), from its first comment. */
function descriptionHash(audits: readonly Audit[]): string | undefined {
  for (const a of audits) {
    for (const e of a.events ?? []) {
      const m = e.type === 'Comment' ? /^Request hash: ([0-9a-f]{64})$/m.exec(e.body ?? '') : null;
      if (m) return m[1];
    }
  }
  return undefined;
}
