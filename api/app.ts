/**
 * The HTTP API (fastify). `buildApp(deps)` returns an app that is not listening yet; the service
 * calls `listen`, tests call `listen({ port: 0 })`.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Agent, Approver, Groups, SubmitAction } from '../core/index.js';
import type { Logger } from '../server/logger.js';
import type { Metrics } from '../server/metrics.js';
import { ActionsService, type ActionsDeps } from './actions.js';
import { Authenticator, type Principal } from './auth.js';
import { ApiError, ErrorCode, badRequest, issuePath } from './errors.js';
import { DecisionBody, GetQuery, ListQuery, SubmitBody } from './schemas.js';

/** 64 KiB: bodies over this answer 413. */
export const BODY_LIMIT = 64 * 1024;

export interface AppDeps {
  client: Client;
  taskQueue: string;
  policies: ActionsDeps['policies'];
  agents: readonly Agent[];
  approvers: readonly Approver[];
  groups: Groups;
  metrics: Metrics;
  logger: Logger;
  /** Epoch ms; defaults to Date.now. */
  now?: () => number;
  /** Log every request at info (default false: only errors and domain events). */
  logRequests?: boolean;
}

export interface App {
  fastify: FastifyInstance;
  actions: ActionsService;
  /** The one way an action enters: `POST /v1/actions` calls it, and so do the front doors (OpenShell, MCP). */
  submit: SubmitAction;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value ?? (what === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: issuePath(i.path),
    message: i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : i.message,
  }));
  const first = issues[0];
  throw badRequest(`invalid ${what}${first ? `: ${first.path}: ${first.message}` : ''}`, issues);
}

function levelAtLeastWarn(level: string): string {
  return ['fatal', 'error', 'silent'].includes(level) ? level : 'warn';
}

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

export function buildApp(deps: AppDeps): App {
  const auth = new Authenticator(deps.agents, deps.approvers);
  const actions = new ActionsService({
    client: deps.client,
    taskQueue: deps.taskQueue,
    policies: deps.policies,
    groups: deps.groups,
    metrics: deps.metrics,
    logger: deps.logger,
    now: deps.now ?? Date.now,
  });
  const fastify = Fastify({
    // Request/response lines are info-level: without logRequests fastify logs warnings and errors only.
    loggerInstance: deps.logRequests ? deps.logger : deps.logger.child({}, { level: levelAtLeastWarn(deps.logger.level) }),
    bodyLimit: BODY_LIMIT,
    // Long polls last up to 60 s.
    requestTimeout: 0,
    return503OnClosing: true,
  });

  const principal = (req: FastifyRequest): Principal => auth.require(req.headers.authorization);

  /** Authenticates an agent by its bearer credential, validates the body, then submits. */
  const submitAs = (authorization: string | undefined, raw: unknown) => {
    const who = auth.require(authorization);
    if (who.kind !== 'agent') throw new ApiError(403, ErrorCode.Forbidden, 'only agents submit actions: use an agent API key');
    return actions.submit(who, parse(SubmitBody, raw, 'body'));
  };

  fastify.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(new ApiError(404, ErrorCode.NotFound, `no route ${req.method} ${req.url.split('?')[0]}`).toBody());
  });

  fastify.setErrorHandler((error: FastifyError | ApiError | Error, req, reply) => {
    if (error instanceof ApiError) return reply.code(error.statusCode).send(error.toBody());
    const code = (error as FastifyError).code;
    const status = (error as FastifyError).statusCode;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(new ApiError(413, ErrorCode.PayloadTooLarge, `request body is over ${BODY_LIMIT} bytes`).toBody());
    }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply
        .code(415)
        .send(new ApiError(415, ErrorCode.UnsupportedMediaType, 'send the body as JSON with `Content-Type: application/json`').toBody());
    }
    if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return reply.code(400).send(new ApiError(400, ErrorCode.InvalidJson, `request body is not valid JSON: ${error.message}`).toBody());
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const apiCode = status === 405 ? ErrorCode.MethodNotAllowed : status === 404 ? ErrorCode.NotFound : ErrorCode.InvalidRequest;
      return reply.code(status).send(new ApiError(status, apiCode, error.message).toBody());
    }
    const grpc = (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
    if (grpc === GRPC_UNAVAILABLE || grpc === GRPC_DEADLINE_EXCEEDED || error.name === 'ServiceError') {
      req.log.error({ err: error }, 'Temporal unavailable');
      return reply.code(503).send(new ApiError(503, ErrorCode.Unavailable, 'Temporal is not reachable: try again shortly').toBody());
    }
    req.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(new ApiError(500, ErrorCode.Internal, `internal error (request ${req.id})`).toBody());
  });

  fastify.get('/healthz', async () => ({ ok: true }));

  fastify.get('/readyz', async (_req, reply) => {
    const policies = deps.policies.list().length;
    let temporal = false;
    try {
      await deps.client.withDeadline(Date.now() + 2000, () => deps.client.workflowService.getSystemInfo({}));
      temporal = true;
    } catch {
      temporal = false;
    }
    const ready = temporal && policies > 0;
    return reply.code(ready ? 200 : 503).send({ ready, temporal, policies });
  });

  fastify.get('/metrics', async (_req, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });

  fastify.post('/v1/actions', async (req, reply) => {
    const { created, response } = await submitAs(req.headers.authorization, req.body);
    return reply.code(created ? 201 : 200).send(response);
  });

  fastify.get('/v1/actions/:id', async (req) => {
    const who = principal(req);
    const { wait } = parse(GetQuery, req.query, 'query');
    const { id } = req.params as { id: string };
    return actions.get(who, id, wait ?? 0);
  });

  fastify.post('/v1/actions/:id/decision', async (req) => {
    const who = principal(req);
    const body = parse(DecisionBody, req.body, 'body');
    const { id } = req.params as { id: string };
    return actions.decide(who, id, body);
  });

  fastify.get('/v1/approvals', async (req) => {
    const who = principal(req);
    const query = parse(ListQuery, req.query, 'query');
    return actions.list(who, query);
  });

  return { fastify: fastify as unknown as FastifyInstance, actions, submit: (apiKey, submission) => submitAs(`Bearer ${apiKey}`, submission) };
}
