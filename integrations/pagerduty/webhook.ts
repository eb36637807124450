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
import type { Decider } from '../../core/index.js';
import type { PagerDutyClient } from './client.js';
import type { PagerDutyIdentities } from './identity.js';
import { parseDecisionNote } from './note.js';
import type { SeenSet } from './seen.js';
import { PAGERDUTY_SIGNATURE_HEADER, verifyPagerDutySignature } from './signature.js';

export const PAGERDUTY_WEBHOOK_PATH = '/webhooks/pagerduty';

export interface PagerDutyWebhookDeps {
  secret: string;
  client: Pick<PagerDutyClient, 'rest'>;
  identities: PagerDutyIdentities;
  seen: SeenSet;
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
  const inFlight = new Set<string>();
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post(PAGERDUTY_WEBHOOK_PATH, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!verifyPagerDutySignature(deps.secret, raw, req.headers[PAGERDUTY_SIGNATURE_HEADER])) {
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
      if (deps.seen.has(id) || inFlight.has(id)) return reply.send({ status: 'duplicate' });
      inFlight.add(id);
      try {
        const status = await handle(event, decider, deps);
        deps.seen.add(id);
        return reply.send({ status });
      } catch (err) {
        deps.logger.error({ err, eventId: id }, 'pagerduty webhook could not be processed; PagerDuty will retry');
        return reply.code(503).send({ error: 'try again' });
      } finally {
        inFlight.delete(id);
      }
    });
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
  const who = await deps.identities.resolve(userId);
  const approverId = who.approverId ?? who.label;
  try {
    const result = await decider.decide(approvalId, { approverId, decision: note.decision, via: 'pagerduty', ...(note.reason ? { reason: note.reason } : {}) });
    deps.logger.info({ id: approvalId, approverId, decision: note.decision, counted: result.counted }, `pagerduty decision: ${result.message}`);
    return who.approverId === null ? 'refused' : result.counted ? 'counted' : 'not-counted';
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return 'ignored';
    throw err;
  }
}
