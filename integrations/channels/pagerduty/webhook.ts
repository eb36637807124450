/**
 * `POST /webhooks/pagerduty`: Webhooks v3 deliveries. Order: signature over the raw body (401 when
 * missing or wrong) → event-id seen-set (a repeat of a delivery that was acted on answers 200 and
 * does nothing; one that arrives while the first copy is still being processed waits for it, and
 * answers 503 if it failed, so PagerDuty redelivers) → only `incident.annotated` notes that read
 * like a decision matter → the incident's alerts (`GET /incidents/{id}/alerts`: an Events API v2
 * incident has child alerts and no incident key; the alert's `alert_key` is our dedup key, its
 * details carry the request hash) name the approval → the note's author (`event.agent`) is mapped
 * to an approver. With notes off (the default) the attempt is recorded as refused; with
 * `PAGERDUTY_NOTE_DECISIONS=trusted` a strict note (note.ts) goes to the workflow's `decide`
 * update, bound to the request hash the incident showed. An unknown author is sent as
 * `pagerduty:<user id>` so the workflow refuses and records it. Transient failures answer 503.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Decider } from '../../../core/index.js';
import { answer, header, mountRawPost, type ReplayGuard } from '../../kit/index.js';
import type { PagerDutyClient } from './client.js';
import type { PagerDutyIdentities } from './identity.js';
import { looksLikeDecision, parseDecisionNote } from './note.js';
import { PAGERDUTY_SIGNATURE_HEADER, verifyPagerDutySignature } from './signature.js';

export const PAGERDUTY_WEBHOOK_PATH = '/webhooks/pagerduty';

export interface PagerDutyWebhookDeps {
  secret: string;
  client: Pick<PagerDutyClient, 'rest'>;
  identities: PagerDutyIdentities;
  /** Event ids acted on, persisted: PagerDuty signs no timestamp, so a captured delivery could come back any time. */
  seen: ReplayGuard;
  logger: Logger;
  noteDecisions: 'off' | 'trusted';
}

interface V3Event {
  id?: string;
  event_type?: string;
  agent?: { id?: string; type?: string } | null;
  data?: { type?: string; content?: string; trimmed?: boolean; incident?: { id?: string } };
}

interface Alert {
  alert_key?: string;
  status?: string;
  body?: { details?: { request_id?: unknown; request_hash?: unknown } | null } | null;
}

/** Why a note does not decide while notes are off: recorded with the refused attempt. */
export const NOTES_OFF = 'an incident note does not decide: PagerDuty cannot show who wrote it (any REST API key writes notes as anyone); decide in Countersign through the link on the incident';
/** Why a note does not decide under the strict grammar. */
export const NOT_A_DECISION = 'this note is not a decision: the first line must be exactly "approve" or "deny: <reason>" (and the note not trimmed)';

/** Mounts the route in its own scope, whose JSON parser keeps the raw bytes for the signature. */
export async function mountPagerDutyWebhook(app: FastifyInstance, decider: Decider, deps: PagerDutyWebhookDeps): Promise<void> {
  /** Event ids being processed now: a second copy waits for the first's outcome. */
  const inflight = new Map<string, Promise<boolean>>();
  await mountRawPost<Buffer>(app, {
    path: PAGERDUTY_WEBHOOK_PATH,
    as: 'buffer',
    async handler(req, reply, raw) {
      if (!verifyPagerDutySignature(deps.secret, raw, header(req, PAGERDUTY_SIGNATURE_HEADER))) {
        deps.logger.warn({ ip: req.ip }, 'pagerduty webhook with a missing or wrong signature refused');
        return reply.code(401).send({ error: 'invalid signature' });
      }
      let event: V3Event | undefined;
      try {
        event = (JSON.parse(raw.toString('utf8')) as { event?: V3Event }).event;
      } catch {
        return reply.code(400).send({ error: 'body is not JSON' });
      }
      const id = event?.id;
      if (!event || typeof id !== 'string' || id === '') return reply.code(400).send({ error: 'no event.id' });
      const first = inflight.get(id);
      if (first) {
        // Not "duplicate" until the first copy is durable: if it fails, this copy must fail too so PagerDuty retries.
        return (await first) ? reply.send({ status: 'duplicate' }) : reply.code(503).send({ error: 'try again' });
      }
      if (!deps.seen.claim([id])) return reply.send({ status: 'duplicate' });
      let done!: (ok: boolean) => void;
      inflight.set(id, new Promise<boolean>((resolve) => (done = resolve)));
      try {
        const status = await handle(event, decider, deps);
        deps.seen.confirm([id]);
        done(true);
        return reply.send({ status });
      } catch (err) {
        deps.seen.release([id]);
        done(false);
        deps.logger.error({ err, eventId: id }, 'pagerduty webhook could not be processed; PagerDuty will retry');
        return reply.code(503).send({ error: 'try again' });
      } finally {
        inflight.delete(id);
      }
    },
  });
}

async function handle(event: V3Event, decider: Decider, deps: PagerDutyWebhookDeps): Promise<string> {
  if (event.event_type !== 'incident.annotated') return 'ignored';
  const content = event.data?.content ?? '';
  const incident = event.data?.incident?.id;
  const userId = event.agent?.type === 'user_reference' ? event.agent.id : undefined;
  if (!incident || !userId || !looksLikeDecision(content)) return 'ignored';
  const target = await approvalOf(incident, deps);
  if (!target) return 'ignored';
  const approverId = await deps.identities.resolve(userId);
  const note = deps.noteDecisions === 'trusted' ? parseDecisionNote(content, event.data?.trimmed === true) : null;
  if (!note) {
    const why = deps.noteDecisions === 'trusted' ? NOT_A_DECISION : NOTES_OFF;
    await decider.refuse(target.id, { who: approverId, via: 'pagerduty', why });
    deps.logger.info({ id: target.id, approverId }, `pagerduty note refused: ${why}`);
    return 'refused';
  }
  const report = await answer(decider, { id: target.id, approverId, decision: note.decision, via: 'pagerduty', reason: note.reason, requestHash: target.requestHash });
  if (report.outcome === 'unrecorded') throw report.error;
  deps.logger.info({ id: target.id, approverId, decision: note.decision, outcome: report.outcome }, `pagerduty decision: ${report.outcome}`);
  return report.outcome === 'gone' ? 'ignored' : report.outcome;
}

/** The approval an incident pages for, from its alerts (their `alert_key` is our dedup key), and the request hash it showed. */
async function approvalOf(incident: string, deps: PagerDutyWebhookDeps): Promise<{ id: string; requestHash?: string } | null> {
  const body = await deps.client.rest<{ alerts?: Alert[] }>('GET', `incidents/${encodeURIComponent(incident)}/alerts`);
  for (const alert of body?.alerts ?? []) {
    const key = alert.alert_key ?? '';
    const id = key.replace(/:escalation$/, '');
    if (!/^act_/.test(id)) continue;
    const hash = alert.body?.details?.request_hash;
    return typeof hash === 'string' ? { id, requestHash: hash } : { id };
  }
  return null;
}
