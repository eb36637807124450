/**
 * The console's routes, in their own fastify scope (form bodies, security headers): sign-in and
 * sign-out, the inbox, one request's page, history, the card fragments and the change stream the
 * script reads. Every read and decision goes through the actions service, the same path as every
 * channel: who may see and decide, the request hash, single use, refused attempts recorded.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tenantOf } from '../../core/crypto/index.js';
import { covers, isTerminal, linkHash, TERMINAL_STATUSES, type ApprovalState, type Approver, type Freeze, type Status } from '../../core/index.js';
import type { Logger } from '../../infra/logger.js';
import { Access, accessTo } from '../actions/access.js';
import type { ActionsService } from '../actions/service.js';
import type { Authenticator, Principal } from '../auth.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { Playground } from '../policy/playground.js';
import { flowCookie, OIDC_FLOW_COOKIE, OidcSignInError, type OidcSignIn } from './oidc.js';
import type { Asset } from './assets.js';
import { readAuditView } from './audit.js';
import { auditPage } from './views/audit.js';
import type { ConsoleFeed } from './feed.js';
import type { Html } from './html.js';
import { safeNext, sameOrigin } from './origin.js';
import { cookieValue, SESSION_COOKIE, sessionCookie, SignInMethod, type Session, type Sessions } from './session.js';
import { card } from './views/card.js';
import { utc } from './views/format.js';
import type { Viewer } from './views/layout.js';
import { playgroundPage } from './views/playground.js';
import {
  historyPage,
  HISTORY_STATUSES,
  inboxCards,
  inboxPage,
  noApproverPage,
  notFoundPage,
  requestPage,
  signInPage,
  unavailablePage,
  type HistoryFilter,
} from './views/pages.js';

export interface ConsoleRouteDeps {
  actions: ActionsService;
  auth: Authenticator;
  approvers: readonly Approver[];
  blueprints: () => readonly string[];
  playground: Playground;
  sessions: Sessions;
  feed: ConsoleFeed;
  assets: Map<string, Asset> | null;
  logger: Logger;
  now: () => number;
  /** Cookies get `Secure` (the console is served over https). */
  secure: boolean;
  /** COUNTERSIGN_PUBLIC_URL: the OIDC redirect URI is built on it (else on the request's Host). */
  publicUrl?: string | undefined;
  /** Set when people sign in through the company's provider; then approver tokens do not sign in. */
  oidc: OidcSignIn | null;
  /** This process's audit log (`<dataDir>/audit.jsonl`), when it runs a worker; null for an API-only process. */
  auditFile: string | null;
  /** The kill switch's list as this process knows it. */
  freezes: () => readonly Freeze[];
}

/** The Content-Security-Policy of every console page: only this origin's script and style, no framing. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

type Signed = { session: Session; approver: Approver; principal: Extract<Principal, { kind: 'approver' }>; viewer: Viewer };

/**
 * Why a bound link from a channel (`?h=…&exp=…`, core `requestPageUrl`) must not decide: made
 * for another version of the request, or expired. Null for a fitting link and for a plain one.
 */
export function linkProblem(query: { h?: string; exp?: string }, state: ApprovalState, now: number): string | null {
  if (query.h !== undefined && query.h !== linkHash(state.requestHash)) {
    return 'This link was made for another version of this request, so it decides nothing here. Review the request as it is now from your inbox.';
  }
  const exp = Number(query.exp);
  if (query.exp !== undefined && (!Number.isFinite(exp) || exp * 1000 <= now)) {
    return `This link expired${Number.isFinite(exp) ? ` at ${utc(exp * 1000)}` : ''}. The request is shown as it is now; open it from your inbox to decide.`;
  }
  return null;
}

export async function consoleRoutes(app: FastifyInstance, deps: ConsoleRouteDeps): Promise<void> {
  const byId = new Map(deps.approvers.map((a) => [a.id, a]));
  const streams = new Set<() => void>();

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on form posts.
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  app.addHook('onClose', async () => {
    for (const end of streams) end();
  });

  const sendHtml = (reply: FastifyReply, body: Html, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body.value);
  const clearCookie = (reply: FastifyReply) => reply.header('set-cookie', sessionCookie(null, { secure: deps.secure, maxAgeMs: 0 }));

  /** The signed-in approver, or null after answering (a redirect to sign-in, or the no-approver page). */
  const signedIn = (req: FastifyRequest, reply: FastifyReply, fragment = false): Signed | null => {
    const read = deps.sessions.read(cookieValue(req.headers.cookie, SESSION_COOKIE), byId);
    if (!read) {
      if (fragment) void reply.code(401).type('text/plain').send('signed out');
      else void reply.redirect(`/sign-in?next=${encodeURIComponent(safeNext(req.url))}`, 303);
      return null;
    }
    const viewer: Viewer = { name: read.approver?.name ?? read.session.sub, csrf: deps.sessions.csrfToken(read.session), auditor: (read.approver?.auditorOf.length ?? 0) > 0 };
    if (!read.approver) {
      if (fragment) void reply.code(403).type('text/plain').send('not an approver');
      else sendHtml(reply, noApproverPage(read.session.sub, viewer), 403);
      return null;
    }
    return { session: read.session, approver: read.approver, principal: { kind: 'approver', id: read.approver.id, approver: read.approver }, viewer };
  };

  const mayDecide = (principal: Principal, state: ApprovalState): boolean => accessTo(principal, tenantOf(state.id) ?? '', state) === Access.Decide;

  /** The CSRF token and same-origin check of a state change; false after answering 403. */
  const guarded = (req: FastifyRequest, reply: FastifyReply, session: Session): boolean => {
    const body = (req.body ?? {}) as Record<string, string>;
    const presented = body._csrf ?? (req.headers['x-csrf-token'] as string | undefined);
    if (sameOrigin(req) && deps.sessions.checkCsrf(session, presented)) return true;
    deps.logger.warn({ approver: session.sub, url: req.url }, 'refused: console request without a valid CSRF token or from another origin');
    void reply.code(403).type('text/plain').send('This form has expired or did not come from this console. Reload the page and try again.');
    return false;
  };

  const unavailableText = (error: unknown): string | null =>
    error instanceof ApiError && error.code === ErrorCode.Unavailable ? 'Countersign cannot reach Temporal right now. This page updates by itself when it is back.' : null;

  // --- assets --------------------------------------------------------------------------------
  app.get('/assets/:name', async (req, reply) => {
    const asset = deps.assets?.get((req.params as { name: string }).name);
    if (!asset) return reply.code(404).type('text/plain').send('no such asset');
    return reply.header('cache-control', 'no-cache').type(asset.type).send(asset.body);
  });

  // --- sign-in ---------------------------------------------------------------------------------
  app.get('/sign-in', async (req, reply) => {
    const next = safeNext((req.query as { next?: string }).next);
    if (deps.sessions.read(cookieValue(req.headers.cookie, SESSION_COOKIE), byId)?.approver) return reply.redirect(next, 303);
    return sendHtml(reply, signInPage({ next, oidc: deps.oidc ? { label: deps.oidc.settings.label } : null }));
  });

  const redirectUri = (req: FastifyRequest): string => `${deps.publicUrl ?? `${req.protocol}://${req.headers.host}`}/sign-in/oidc/callback`;
  const oidcFailed = (reply: FastifyReply, next: string, error: unknown) => {
    if (!(error instanceof OidcSignInError)) throw error;
    deps.logger.warn({ reason: error.message }, `refused: console sign-in through OpenID Connect: ${error.message}`);
    reply.header('set-cookie', flowCookie(null, deps.secure));
    return sendHtml(reply, signInPage({ next, oidc: { label: deps.oidc!.settings.label }, error: `Sign-in failed: ${error.message}.` }), 400);
  };

  app.get('/sign-in/oidc', async (req, reply) => {
    const next = safeNext((req.query as { next?: string }).next);
    if (!deps.oidc) return reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
    try {
      const { url, cookie } = await deps.oidc.start(redirectUri(req), next);
      return reply.header('set-cookie', flowCookie(cookie, deps.secure)).redirect(url, 303);
    } catch (error) {
      return oidcFailed(reply, next, error);
    }
  });

  app.get('/sign-in/oidc/callback', async (req, reply) => {
    if (!deps.oidc) return reply.redirect('/sign-in', 303);
    const callback = new URL(req.url, redirectUri(req));
    try {
      const who = await deps.oidc.finish(callback, cookieValue(req.headers.cookie, OIDC_FLOW_COOKIE), deps.approvers);
      const { cookie } = who.approver ? deps.sessions.issue(who.approver, SignInMethod.Oidc) : deps.sessions.issueUnmapped(who.subject);
      deps.logger.info({ approver: who.approver?.id ?? null, method: SignInMethod.Oidc }, `console sign-in: ${who.approver?.id ?? `${who.subject} (no approver)`}`);
      return reply
        .header('set-cookie', [sessionCookie(cookie, { secure: deps.secure, maxAgeMs: deps.sessions.ttlMs }), flowCookie(null, deps.secure)])
        .redirect(who.approver ? who.next : '/', 303);
    } catch (error) {
      return oidcFailed(reply, '/', error);
    }
  });

  app.post('/sign-in', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const next = safeNext(body.next);
    if (!sameOrigin(req)) return reply.code(403).type('text/plain').send('sign-in from another site refused');
    if (deps.oidc) {
      deps.logger.warn({ ip: req.ip }, 'refused: console token sign-in while OpenID Connect is configured');
      return sendHtml(reply, signInPage({ next, oidc: { label: deps.oidc.settings.label }, error: `Sign in with ${deps.oidc.settings.label}: approver tokens do not open the console here.` }), 403);
    }
    const who = typeof body.token === 'string' && body.token.length > 0 ? deps.auth.identify(`Bearer ${body.token.trim()}`) : null;
    // An agent key never opens a console session: it is refused exactly like an unknown token.
    if (!who || who.kind !== 'approver') {
      deps.logger.warn({ ip: req.ip }, 'refused: console sign-in with a token that is no approver token');
      return sendHtml(reply, signInPage({ next, error: 'That token signs in no approver. Check it and try again.' }), 401);
    }
    const { cookie } = deps.sessions.issue(who.approver, SignInMethod.Token, (body.token ?? '').trim());
    deps.logger.info({ approver: who.id, method: SignInMethod.Token }, `console sign-in: ${who.id}`);
    return reply.header('set-cookie', sessionCookie(cookie, { secure: deps.secure, maxAgeMs: deps.sessions.ttlMs })).redirect(next, 303);
  });

  app.post('/sign-out', async (req, reply) => {
    const read = deps.sessions.read(cookieValue(req.headers.cookie, SESSION_COOKIE), byId);
    if (read) {
      if (!guarded(req, reply, read.session)) return reply;
      deps.sessions.revoke(read.session);
      deps.logger.info({ approver: read.session.sub }, `console sign-out: ${read.session.sub}`);
    }
    clearCookie(reply);
    return reply.redirect('/sign-in', 303);
  });

  // --- inbox -----------------------------------------------------------------------------------
  const inboxStates = async (s: Signed): Promise<ApprovalState[]> => {
    const { approvals } = await deps.actions.list(s.principal, { status: 'pending', limit: 200 });
    const states = await Promise.all(approvals.map((a) => deps.actions.get(s.principal, a.id).catch(() => null)));
    return states.filter((st): st is ApprovalState => st !== null && !isTerminal(st.status) && mayDecide(s.principal, st));
  };

  app.get('/', async (req, reply) => {
    const s = signedIn(req, reply);
    if (!s) return reply;
    try {
      const frozen = deps.freezes().filter((f) => f.scope !== 'tenant' || covers(s.approver.tenants, f.value) || covers(s.approver.auditorOf, f.value));
      return sendHtml(reply, inboxPage({ viewer: s.viewer, viewerId: s.approver.id, states: await inboxStates(s), now: deps.now(), frozen }));
    } catch (error) {
      const text = unavailableText(error);
      if (!text) throw error;
      return sendHtml(reply, inboxPage({ viewer: s.viewer, viewerId: s.approver.id, states: [], now: deps.now(), unavailable: text }), 503);
    }
  });

  app.get('/console/fragments/inbox', async (req, reply) => {
    const s = signedIn(req, reply, true);
    if (!s) return reply;
    return sendHtml(reply, inboxCards({ viewerId: s.approver.id, states: await inboxStates(s), now: deps.now(), csrf: s.viewer.csrf }));
  });

  // --- one request -----------------------------------------------------------------------------
  /** The state when `s` may see it; null after answering the not-found page (the same for unknown ids). */
  const readable = async (s: Signed, id: string, reply: FastifyReply, fragment: boolean): Promise<ApprovalState | null> => {
    try {
      return await deps.actions.get(s.principal, id);
    } catch (error) {
      if (error instanceof ApiError && error.code === ErrorCode.NotFound) {
        if (fragment) void reply.code(404).type('text/plain').send('not found');
        else sendHtml(reply, notFoundPage(s.viewer), 404);
        return null;
      }
      const text = unavailableText(error);
      if (!text) throw error;
      if (fragment) void reply.code(503).header('retry-after', '2').type('text/plain').send(text);
      else sendHtml(reply, unavailablePage(s.viewer, text), 503);
      return null;
    }
  };

  app.get('/requests/:id', async (req, reply) => {
    const s = signedIn(req, reply);
    if (!s) return reply;
    const state = await readable(s, (req.params as { id: string }).id, reply, false);
    if (!state) return reply;
    const problem = linkProblem(req.query as { h?: string; exp?: string }, state, deps.now());
    return sendHtml(reply, requestPage({ viewer: s.viewer, viewerId: s.approver.id, state, mayDecide: problem === null && mayDecide(s.principal, state), now: deps.now(), error: problem }));
  });

  app.get('/console/fragments/cards/:id', async (req, reply) => {
    const s = signedIn(req, reply, true);
    if (!s) return reply;
    const state = await readable(s, (req.params as { id: string }).id, reply, true);
    if (!state) return reply;
    // A request page opened from a bound link refreshes with the same link, so it stays without buttons.
    const problem = linkProblem(req.query as { h?: string; exp?: string }, state, deps.now());
    return sendHtml(reply, card({ state, mayDecide: problem === null && mayDecide(s.principal, state), viewerId: s.approver.id, csrf: s.viewer.csrf, now: deps.now(), error: problem }));
  });

  app.post('/requests/:id/decision', async (req, reply) => {
    const fragment = req.headers['x-countersign-fragment'] === '1';
    const s = signedIn(req, reply, fragment);
    if (!s) return reply;
    if (!guarded(req, reply, s.session)) return reply;
    const { id } = req.params as { id: string };
    const body = (req.body ?? {}) as Record<string, string>;
    const decision = body.decision === 'approve' || body.decision === 'deny' ? body.decision : null;
    const reason = typeof body.reason === 'string' && body.reason.trim().length > 0 ? body.reason.trim().slice(0, 2000) : undefined;
    let error: string | null = null;
    let state: ApprovalState | null = null;
    if (decision === null) error = 'Choose Approve or Deny.';
    else if (decision === 'deny' && reason === undefined) error = 'A denial needs a reason: the agent and the audit log read it.';
    else {
      try {
        const result = await deps.actions.decide(s.principal, id, { decision, reason, requestHash: typeof body.hash === 'string' ? body.hash : undefined });
        state = result.state;
        if (!result.counted) error = result.message;
        deps.feed.nudge();
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.code === ErrorCode.NotFound) {
          if (fragment) return reply.code(404).type('text/plain').send('not found');
          return sendHtml(reply, notFoundPage(s.viewer), 404);
        }
        error = e.code === ErrorCode.Unavailable ? unavailableText(e) : e.message;
      }
    }
    if (!fragment && error === null) return reply.redirect(`/requests/${encodeURIComponent(id)}`, 303);
    state ??= await readable(s, id, reply, fragment);
    if (!state) return reply;
    const view = { state, mayDecide: mayDecide(s.principal, state), viewerId: s.approver.id, csrf: s.viewer.csrf, now: deps.now(), error };
    if (fragment) return sendHtml(reply, card(view), error === null ? 200 : 409);
    return sendHtml(reply, requestPage({ ...view, viewer: s.viewer }), 409);
  });

  // --- history ---------------------------------------------------------------------------------
  app.get('/history', async (req, reply) => {
    const s = signedIn(req, reply);
    if (!s) return reply;
    const q = (req.query ?? {}) as Record<string, string>;
    const day = /^\d{4}-\d{2}-\d{2}$/;
    const filter: HistoryFilter = {
      blueprint: q.blueprint || undefined,
      status: HISTORY_STATUSES.includes(q.status as Status) ? (q.status as Status) : undefined,
      agent: q.agent?.trim() || undefined,
      from: day.test(q.from ?? '') ? q.from : undefined,
      to: day.test(q.to ?? '') ? q.to : undefined,
    };
    const blueprints = deps.blueprints();
    if (filter.blueprint && !blueprints.includes(filter.blueprint)) filter.blueprint = undefined;
    try {
      const { approvals } = await deps.actions.list(s.principal, {
        status: filter.status ?? TERMINAL_STATUSES,
        blueprint: filter.blueprint,
        agent: filter.agent,
        since: filter.from ? Date.parse(`${filter.from}T00:00:00Z`) : undefined,
        until: filter.to ? Date.parse(`${filter.to}T23:59:59.999Z`) : undefined,
        limit: 200,
      });
      approvals.sort((a, b) => (b.closedAt ?? b.submittedAt) - (a.closedAt ?? a.submittedAt));
      return sendHtml(reply, historyPage({ viewer: s.viewer, rows: approvals, filter, blueprints }));
    } catch (error) {
      const text = unavailableText(error);
      if (!text) throw error;
      return sendHtml(reply, historyPage({ viewer: s.viewer, rows: [], filter, blueprints, error: text }), 503);
    }
  });

  // --- policy playground --------------------------------------------------------------------------
  const DEFAULT_REQUEST = '{\n  "action": "refund",\n  "params": { "amount": 75 }\n}';

  app.get('/playground', async (req, reply) => {
    const s = signedIn(req, reply);
    if (!s) return reply;
    const blueprints = deps.blueprints();
    const asked = (req.query as { blueprint?: string }).blueprint;
    const blueprint = asked !== undefined && blueprints.includes(asked) ? asked : blueprints.includes('customer-support') ? 'customer-support' : (blueprints[0] ?? '');
    const yaml = deps.playground.source(blueprint) ?? '';
    const lint = yaml ? deps.playground.lint(yaml) : null;
    return sendHtml(reply, playgroundPage({ viewer: s.viewer, blueprints, blueprint, yaml, request: DEFAULT_REQUEST, at: '', fields: lint?.ok ? lint.fields : [], lint: lint && !lint.ok ? lint.errors : [], result: null }));
  });

  // Without the script the form posts here and the page comes back with the result.
  app.post('/playground', async (req, reply) => {
    const s = signedIn(req, reply);
    if (!s) return reply;
    if (!guarded(req, reply, s.session)) return reply;
    const body = (req.body ?? {}) as Record<string, string>;
    const yaml = String(body.yaml ?? '');
    const request = String(body.request ?? DEFAULT_REQUEST);
    const at = String(body.at ?? '');
    const lint = deps.playground.lint(yaml);
    const result = deps.playground.explain({ yaml, request, at });
    return sendHtml(reply, playgroundPage({ viewer: s.viewer, blueprints: deps.blueprints(), blueprint: String(body.blueprint ?? ''), yaml, request, at, fields: lint.ok ? lint.fields : [], lint: lint.ok ? [] : lint.errors, result }));
  });

  /** The playground script's JSON calls: signed in, same origin, CSRF token in a header. */
  const jsonCall = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const s = signedIn(req, reply, true);
    if (!s) return false;
    return guarded(req, reply, s.session);
  };
  const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');

  app.get('/console/policy/source', async (req, reply) => {
    if (!signedIn(req, reply, true)) return reply;
    const yaml = deps.playground.source(String((req.query as { blueprint?: string }).blueprint ?? ''));
    if (yaml === null) return reply.code(404).send({ error: { code: ErrorCode.NotFound, message: 'no loaded blueprint has that name' } });
    return { yaml };
  });

  app.post('/console/policy/lint', async (req, reply) => {
    if (!jsonCall(req, reply)) return reply;
    return deps.playground.lint(text((req.body as { yaml?: unknown } | undefined)?.yaml, 256 * 1024));
  });

  app.post('/console/policy/explain', async (req, reply) => {
    if (!jsonCall(req, reply)) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    return deps.playground.explain({ yaml: text(body.yaml, 256 * 1024), request: text(body.request, 64 * 1024), at: text(body.at, 64) });
  });

  // --- audit log (auditors) ---------------------------------------------------------------------
  app.get('/audit', async (req, reply) => {
    const s = signedIn(req, reply);
    if (!s) return reply;
    // Someone who audits nothing gets the page an unknown address gets.
    if (s.approver.auditorOf.length === 0) return sendHtml(reply, notFoundPage(s.viewer), 404);
    const view = deps.auditFile === null ? null : await readAuditView(deps.auditFile, s.approver);
    return sendHtml(reply, auditPage({ viewer: s.viewer, view, file: deps.auditFile, tenants: s.approver.auditorOf }));
  });

  // --- live changes (Server-Sent Events) ------------------------------------------------------
  app.get('/console/events', async (req, reply) => {
    const s = signedIn(req, reply, true);
    if (!s) return reply;
    const approver = s.approver;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const unsubscribe = deps.feed.subscribe(
      (mark) => mark.eligible.includes(approver.id) && (mark.tenant === null || covers(approver.tenants, mark.tenant)),
      (event) => send('change', event),
    );
    const heartbeat = setInterval(() => {
      if (s.session.expiresAt <= deps.now() || !deps.sessions.read(cookieValue(req.headers.cookie, SESSION_COOKIE), byId)) {
        send('signed-out', {});
        end();
      } else res.write(': keep-alive\n\n');
    }, 15_000);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(end);
      res.end();
    };
    streams.add(end);
    req.raw.on('close', end);
  });
}
