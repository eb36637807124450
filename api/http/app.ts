/**
 * The HTTP API (fastify): each route authenticates, validates and maps to one service call
 * (api/actions). `buildApp(deps)` returns an app that is not listening yet; the service calls
 * `listen`, tests call `listen({ port: 0 })`. Vendor and front-door routes are mounted by the
 * service wiring, not here.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import { ANY, type Admin, type Agent, type AgentPorts, type Approver, type Groups, type SubmitAction } from '../../core/index.js';
import type { Logger } from '../../infra/logger.js';
import type { Metrics } from '../../infra/metrics.js';
import { HealthPart, type Degradation, type Health } from '../../infra/health.js';
import type { Reachability } from '../actions/gate.js';
import { ActionsService, type ActionsDeps } from '../actions/service.js';
import { Authenticator, type Principal } from '../auth.js';
import { ApiError, ErrorCode } from '../errors.js';
import { registerConsole, type Console, type ConsoleOptions } from '../console/index.js';
import { installErrorHandlers } from './error-handler.js';
import { Playground, type PlaygroundPolicies } from '../policy/playground.js';
import { FreezeAdmin } from '../freezes/admin.js';
import { FreezeWatch } from '../freezes/watch.js';
import { DecisionBody, ExplainBody, FreezeBody, FreezeScopeParam, GetQuery, LintBody, ListQuery, parse, SubmitBody, WithdrawBody } from './schemas.js';

/** 64 KiB: bodies over this answer 413. */
export const BODY_LIMIT = 64 * 1024;

export interface AppDeps {
  client: Client;
  taskQueue: string;
  /** The loaded policies; `compile` (the policy store's) lets the playground lint pasted YAML. */
  policies: ActionsDeps['policies'] & Pick<PlaygroundPolicies, 'compile' | 'text'>;
  agents: readonly Agent[];
  approvers: readonly Approver[];
  groups: Groups;
  metrics: Metrics;
  logger: Logger;
  /** Epoch ms; defaults to Date.now. */
  now?: () => number;
  /** Log every request at info (default false: only errors and domain events). */
  logRequests?: boolean;
  /** Whether Temporal answers now (the service's monitor); without it `/readyz` asks Temporal itself. */
  reachability?: Reachability | null;
  /** What is degraded in this process, for `/readyz`. */
  health?: Health;
  /** Who may freeze and unfreeze (`admins:` in countersign.yaml). */
  admins?: readonly Admin[];
  /** The web console at `/` (default on); `false` serves the API only. */
  console?: Omit<ConsoleOptions, 'actions' | 'auth' | 'approvers' | 'blueprints' | 'playground' | 'logger' | 'now' | 'freezes'> | false;
}

export interface App {
  fastify: FastifyInstance;
  actions: ActionsService;
  /** The one way an action enters: `POST /v1/actions` calls it, and so do the front doors (OpenShell, MCP). */
  submit: SubmitAction;
  /** The web console, unless turned off. */
  console: Console | null;
  /** Reads and withdrawals as an agent, for the front doors (MCP). */
  agents: AgentPorts;
}

function levelAtLeastWarn(level: string): string {
  return ['fatal', 'error', 'silent'].includes(level) ? level : 'warn';
}

export function buildApp(deps: AppDeps): App {
  const auth = new Authenticator(deps.agents, deps.approvers, deps.admins ?? []);
  const freezes = new FreezeWatch(deps.client, deps.taskQueue, deps.logger);
  const actions = new ActionsService({
    client: deps.client,
    taskQueue: deps.taskQueue,
    policies: deps.policies,
    groups: deps.groups,
    approvers: deps.approvers,
    knownTenants: deps.agents.map((a) => a.tenant),
    metrics: deps.metrics,
    logger: deps.logger,
    now: deps.now ?? Date.now,
    reachability: deps.reachability ?? null,
    freezes,
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

  installErrorHandlers(fastify as unknown as FastifyInstance, BODY_LIMIT);
  freezes.start();
  fastify.addHook('onClose', async () => freezes.stop());
  const freezeAdmin = new FreezeAdmin({ client: deps.client, taskQueue: deps.taskQueue, refusals: actions.refusals, watch: freezes, logger: deps.logger });
  const admin = (req: FastifyRequest) => {
    const who = principal(req);
    if (who.kind !== 'admin') throw new ApiError(403, ErrorCode.Forbidden, 'freezing needs an admin token (admins: in countersign.yaml), never an agent key or approver token');
    return who;
  };
  const playground = new Playground(deps.policies, deps.now ?? Date.now);
  /** Policy tooling is for people (approvers' tokens): an agent reading policies could probe for the gaps. */
  const person = (req: FastifyRequest) => {
    const who = principal(req);
    if (who.kind !== 'approver') throw new ApiError(403, ErrorCode.Forbidden, 'policy lint and explain are for people: use an approver token, not an agent API key');
    return who;
  };

  fastify.get('/healthz', async () => ({ ok: true }));

  // 503 only when no submission can be taken; a degraded channel or gateway is named but keeps it ready.
  fastify.get('/readyz', async (_req, reply) => {
    const policies = deps.policies.list().length;
    const temporal = deps.reachability ? deps.reachability.up() : await reachable(deps.client);
    const degraded: Degradation[] = deps.health?.degraded() ?? [];
    if (!temporal && !degraded.some((d) => d.part === HealthPart.Temporal)) {
      degraded.push({ part: HealthPart.Temporal, reason: 'not reachable', since: new Date().toISOString() });
    }
    if (policies === 0 && !degraded.some((d) => d.part === HealthPart.Policies)) {
      degraded.push({ part: HealthPart.Policies, reason: 'no policy loaded', since: new Date().toISOString() });
    }
    const ready = temporal && policies > 0;
    return reply.code(ready ? 200 : 503).send({ ready, temporal, policies, degraded });
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

  fastify.post('/v1/actions/:id/withdraw', async (req) => {
    const who = principal(req);
    const { reason } = parse(WithdrawBody, req.body ?? {}, 'body');
    const { id } = req.params as { id: string };
    return actions.withdraw(who, id, reason);
  });

  fastify.get('/v1/approvals', async (req) => {
    const who = principal(req);
    const query = parse(ListQuery, req.query, 'query');
    return actions.list(who, query);
  });

  const web =
    deps.console === false
      ? null
      : registerConsole(fastify as unknown as FastifyInstance, {
          ...deps.console,
          actions,
          auth,
          approvers: deps.approvers,
          blueprints: () => deps.policies.list().map((p) => p.blueprint),
          playground,
          freezes: () => freezes.known(),
          logger: deps.logger,
          now: deps.now ?? Date.now,
        });

  // Who a credential is: front doors check their key and binding before they serve anything.
  fastify.get('/v1/whoami', async (req) => {
    const who = principal(req);
    if (who.kind === 'approver') return { kind: 'approver', id: who.id, name: who.approver.name, tenants: who.approver.tenants, auditorOf: who.approver.auditorOf };
    if (who.kind === 'admin') return { kind: 'admin', id: who.id };
    const loaded = deps.policies.list().map((p) => p.blueprint);
    const bound = who.agent.blueprints;
    return { kind: 'agent', id: who.id, tenant: who.tenant, blueprints: bound, loaded: loaded.filter((b) => bound.includes(ANY) || bound.includes(b)) };
  });

  // The kill switch.
  fastify.get('/v1/admin/freezes', async (req) => {
    admin(req);
    return { freezes: await freezeAdmin.list() };
  });
  fastify.post('/v1/admin/freezes', async (req, reply) => {
    const who = admin(req);
    const body = parse(FreezeBody, req.body, 'body');
    return reply.code(201).send(await freezeAdmin.freeze(who.id, body.scope, body.value, body.reason, body.denyPending ?? false));
  });
  fastify.delete('/v1/admin/freezes/:scope/:value', async (req) => {
    const who = admin(req);
    const { scope, value } = req.params as { scope: string; value: string };
    return { freezes: await freezeAdmin.unfreeze(who.id, parse(FreezeScopeParam, scope, 'query'), value) };
  });

  fastify.post('/v1/policy/lint', async (req) => {
    person(req);
    return playground.lint(parse(LintBody, req.body, 'body').yaml);
  });

  fastify.post('/v1/policy/explain', async (req) => {
    person(req);
    const body = parse(ExplainBody, req.body, 'body');
    return playground.explain({ ...body, request: typeof body.request === 'string' ? body.request : JSON.stringify(body.request) });
  });

  const agents: AgentPorts = {
    identify(apiKey) {
      const who = auth.identify(`Bearer ${apiKey}`);
      return who?.kind === 'agent' ? { id: who.id, tenant: who.tenant, blueprints: who.agent.blueprints } : null;
    },
    read: (apiKey, id, waitSeconds) => actions.get(auth.require(`Bearer ${apiKey}`), id, waitSeconds),
    withdraw: (apiKey, id, reason) => actions.withdraw(auth.require(`Bearer ${apiKey}`), id, reason),
  };

  return { fastify: fastify as unknown as FastifyInstance, actions, submit: (apiKey, submission) => submitAs(`Bearer ${apiKey}`, submission), console: web, agents };
}

/** One `GetSystemInfo` with a 1 s deadline: a probe answers within a second even while Temporal is down. */
async function reachable(client: Client): Promise<boolean> {
  try {
    await client.withDeadline(Date.now() + 1000, () => client.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}
