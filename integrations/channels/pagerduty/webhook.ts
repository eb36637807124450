/**
 * `POST /webhooks/pagerduty`: Webhooks v3 deliveries. Order: signature over the raw body (401 when
 * missing or wrong) → event-id seen-set (a repeat answers 200 and does nothing) → only
 * `incident.annotated` with a decision note (see note.ts) counts → the incident's `incident_key`
 * (`GET /incidents/{id}`) names the approval → the note's author (`event.agent`) is mapped to an
 * approver → the workflow's `decide` update. An unknown author is sent as `pagerduty:<user id>` so
 * the workflow refuses and records it. Transient failures answer 503 and PagerDuty redelivers.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Decider } from '../../../core/index.js';
import { answer, header, mountRawPost, type ReplayGuard } from '../../kit/index.js';
import type { PagerDutyClient } from './client.js';
import type { PagerDutyIdentities } from './identity.js';
import { parseDecisionNote } from './note.js';
import { PAGERDUTY_SIGNATURE_HEADER, verifyPagerDutySignature } from './signature.js';

export const PAGERDUTY_WEBHOOK_PATH = '/webhooks/pagerduty';

export interface PagerDutyWebhookDeps {
  secret: string;
  client: Pick<PagerDutyClient, 'rest'>;
  identities: PagerDutyIdentities;
  /** Event ids acted on, persisted: PagerDuty signs no timestamp, so a captured delivery could come back any time. */
  seen: ReplayGuard;
  logger: Logger;
}

interface V3Event {
  id?: string;
  event_type?: string;
  agent?: { id?: string; type?: string } | null;
  data?: { type?: string; content?: string; incident?: { id?: string } };
}

/** Mounts the route in its own scope, whose JSON parser keeps the raw bytes for the signature. */
export async function mountPagerDutyWebhook(app: FastifyInstance, decider: Decider, deps: PagerDutyWebhookDeps): Promise<void> {
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
      if (!deps.seen.claim([id])) return reply.send({ status: 'duplicate' });
      try {
        const status = await handle(event, decider, deps);
        deps.seen.confirm([id]);
        return reply.send({ status });
      } catch (err) {
        deps.seen.release([id]);
        deps.logger.error({ err, eventId: id }, 'pagerduty webhook could not be processed; PagerDuty will retry');
        return reply.code(503).send({ error: 'try again' });
      }
    },
  });
}

async function handle(event: V3Event, decider: Decider, deps: PagerDutyWebhookDeps): Promise<string> {
  if (event.event_type !== 'incident.annotated') return 'ignored';
  const note = parseDecisionNote(event.data?.content ?? '');
  const incident = event.data?.incident?.id;
  const userId = event.agent?.type === 'user_reference' ? event.agent.id : undefined;
  if (!note || !incident || !userId) return 'ignored';
  const body = await deps.client.rest<{ incident?: { incident_key?: string } }>('GET', `incidents/${encodeURIComponent(incident)}`);
  const key = body?.incident?.incident_key;
  if (!key) return 'ignored';
  const approvalId = key.replace(/:escalation$/, '');
  const approverId = await deps.identities.resolve(userId);
  const report = await answer(decider, { id: approvalId, approverId, decision: note.decision, via: 'pagerduty', reason: note.reason });
  if (report.outcome === 'unrecorded') throw report.error;
  deps.logger.info({ id: approvalId, approverId, decision: note.decision, outcome: report.outcome }, `pagerduty decision: ${report.outcome}`);
  return report.outcome === 'gone' ? 'ignored' : report.outcome;
}
