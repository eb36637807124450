/**
 * The verdict callback route. The approval workflow POSTs the signed verdict here (at least once,
 * retried with backoff for 24 h); this handler verifies the signature over the raw body, checks
 * that the chunk named in the URL is the one the action id was derived from, and hands the
 * verdict to the executor (at most once). 2xx only once the outcome is on record; a gateway
 * problem answers 503 so delivery is retried.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { actionId, SIGNATURE_HEADER, tenantOf, TIMESTAMP_HEADER, verifyCallbackSignature } from '../../../core/crypto/index.js';
import type { CallbackPayload } from '../../../core/index.js';
import { header, mountRawPost } from '../../kit/index.js';
import { idempotencyKey, type ChunkBinding } from './chunk.js';
import { OpenShellError } from './errors.js';
import type { Executor } from './executor.js';

export const CALLBACK_PATH = '/v1/integrations/openshell/callback';

/** The callback URL for one chunk's approval. */
export function callbackUrl(base: string, b: ChunkBinding): string {
  const q = new URLSearchParams({ ws: b.workspace, sb: b.sandbox, ck: b.chunkId, fp: b.fingerprint });
  return `${base}${CALLBACK_PATH}?${q.toString()}`;
}

export async function mountCallback(app: FastifyInstance, deps: { secret: string; execute: Executor; logger: Logger }): Promise<void> {
  await mountRawPost<string>(app, {
    path: CALLBACK_PATH,
    as: 'string',
    async handler(req, reply, raw) {
      const check = verifyCallbackSignature(deps.secret, header(req, TIMESTAMP_HEADER), raw, header(req, SIGNATURE_HEADER), Date.now());
      if (!check.ok) return reply.code(401).send({ error: { code: 'bad_signature', message: check.reason } });
      const q = req.query as Record<string, string | undefined>;
      let payload: CallbackPayload;
      try {
        payload = JSON.parse(raw) as CallbackPayload;
      } catch {
        return reply.code(400).send({ error: { code: 'invalid_json', message: 'body is not JSON' } });
      }
      const binding: ChunkBinding = { workspace: q.ws ?? '', sandbox: q.sb ?? '', chunkId: q.ck ?? '', fingerprint: q.fp ?? '' };
      const tenant = tenantOf(payload.id);
      if (!tenant || actionId(tenant, idempotencyKey(binding)) !== payload.id) {
        return reply.code(400).send({ error: { code: 'binding_mismatch', message: 'the chunk in the URL is not the one this action was filed for' } });
      }
      try {
        const entry = await deps.execute({ id: payload.id, binding, verdict: payload.verdict, status: payload.status, reason: payload.reason, decidedBy: payload.decidedBy });
        return reply.code(200).send({ ok: true, outcome: entry.outcome, reason: entry.reason });
      } catch (error) {
        const e = error instanceof OpenShellError ? error : null;
        deps.logger.warn({ actionId: payload.id, code: e?.code, err: error }, `openshell: verdict not carried out yet: ${(error as Error).message}`);
        return reply.code(503).send({ error: { code: e?.code ?? 'internal', message: (error as Error).message } });
      }
    },
  });
}
