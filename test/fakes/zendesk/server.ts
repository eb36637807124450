/**
 * A loopback Zendesk Support REST API (HTTP on 127.0.0.1): tickets (create, show, list by
 * external_id, update with comment/status/tags/assignee), ticket comments, ticket audits, webhooks
 * + signing secret, triggers and macros, with Zendesk's shapes and its rule that a solved ticket
 * needs an assignee. Every change is an audit, as the Ticket Audits reference describes them:
 * `via.channel` says how it was made ("api" for the REST API, "web" for the agent interface),
 * `events[]` holds `Create` / `Change` (for tags `field_name: "tags"` with the new and previous tag
 * lists) / `Comment` events. `agentUpdate` makes a change as an agent would in Zendesk itself.
 * Records requests; `failNext` injects outages and 429s; `signedDelivery` signs a webhook call.
 */
import { text } from 'node:stream/consumers';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';

export interface FakeAudit {
  id: number;
  ticket_id: number;
  created_at: string;
  author_id: number;
  via: { channel: 'web' | 'api'; source: { from: Record<string, unknown>; to: Record<string, unknown>; rel: string | null } };
  events: Record<string, unknown>[];
}

export interface FakeTicket {
  id: number;
  subject: string;
  status: string;
  priority: string | null;
  tags: string[];
  external_id: string | null;
  assignee_id: number | null;
  comments: { id: number; body: string; public: boolean; author_id: number }[];
  audits: FakeAudit[];
}

export interface FakeZendesk {
  url: string;
  requests: { method: string; path: string; body: any; headers: Record<string, unknown> }[];
  tickets: FakeTicket[];
  webhooks: any[];
  triggers: any[];
  failNext(count: number, status: number, options?: { path?: string; retryAfter?: string }): void;
  macros: any[];
  /** An agent's comment, as if added in the Zendesk UI. */
  addComment(ticketId: number, body: string, isPublic?: boolean): void;
  /** A change an agent makes in the agent interface (a macro, the tag field): one `web` audit. */
  agentUpdate(ticketId: number, change: { addTags?: string[]; comment?: string; public?: boolean; authorId?: number }): FakeAudit;
  close(): Promise<void>;
}

export async function startFakeZendesk(opts: { email: string; token: string }): Promise<FakeZendesk> {
  const auth = `Basic ${Buffer.from(`${opts.email}/token:${opts.token}`).toString('base64')}`;
  const requests: FakeZendesk['requests'] = [];
  const tickets: FakeTicket[] = [];
  const webhooks: any[] = [];
  const triggers: any[] = [];
  const macros: any[] = [];
  const failures: { count: number; status: number; path?: string; retryAfter?: string }[] = [];
  let seq = 1000;

  /** One audit of a change to `ticket`: tags before/after, an optional comment. */
  const audit = (ticket: FakeTicket, channel: 'web' | 'api', authorId: number, before: string[], comment?: { body: string; public: boolean }, create = false): FakeAudit => {
    const events: Record<string, unknown>[] = [];
    if (create) events.push({ id: ++seq, type: 'Create', field_name: 'tags', value: [...ticket.tags] });
    else if (before.join(' ') !== ticket.tags.join(' ')) events.push({ id: ++seq, type: 'Change', field_name: 'tags', value: [...ticket.tags], previous_value: before });
    if (comment) events.push({ id: ++seq, type: 'Comment', body: comment.body, html_body: `<p>${comment.body}</p>`, public: comment.public, author_id: authorId, attachments: [] });
    const a: FakeAudit = { id: ++seq, ticket_id: ticket.id, created_at: new Date().toISOString(), author_id: authorId, via: { channel, source: { from: {}, to: {}, rel: null } }, events };
    ticket.audits.push(a);
    return a;
  };

  const server: Server = createServer(async (req, res) => {
    const raw = await text(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = raw ? JSON.parse(raw) : null;
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, body, headers: req.headers });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(data));
    };
    const fail = failures.find((f) => f.count > 0 && (!f.path || url.pathname.startsWith(f.path)));
    if (fail) {
      fail.count--;
      return send(fail.status, { error: 'injected' }, fail.retryAfter ? { 'retry-after': fail.retryAfter } : {});
    }
    if (req.headers.authorization !== auth) return send(401, { error: "Couldn't authenticate you" });
    const m = /^\/api\/v2\/tickets\/(\d+)(\.json|\/comments\.json|\/audits\.json)$/.exec(url.pathname);
    const ticket = m ? tickets.find((t) => t.id === Number(m[1])) : undefined;
    if (url.pathname === '/api/v2/tickets.json' && req.method === 'GET') {
      const ext = url.searchParams.get('external_id');
      const found = tickets.filter((t) => ext === null || t.external_id === ext);
      return send(200, { tickets: found, count: found.length, next_page: null, previous_page: null });
    }
    if (url.pathname === '/api/v2/tickets.json' && req.method === 'POST') {
      const t = body.ticket;
      if (!t?.comment?.body) return send(422, { error: 'RecordInvalid', description: 'Record validation errors', details: { description: [{ description: 'Description: cannot be blank' }] } });
      const created: FakeTicket = { id: ++seq, subject: t.subject, status: 'new', priority: t.priority ?? null, tags: t.tags ?? [], external_id: t.external_id ?? null, assignee_id: null, comments: [{ id: ++seq, body: t.comment.body, public: t.comment.public ?? true, author_id: 1 }], audits: [] };
      audit(created, 'api', 1, [], { body: t.comment.body, public: t.comment.public ?? true }, true);
      tickets.push(created);
      return send(201, { ticket: created });
    }
    if (m && !ticket) return send(404, { error: 'RecordNotFound', description: 'Not found' });
    if (ticket && m?.[2] === '/comments.json') {
      const list = url.searchParams.get('sort_order') === 'desc' ? [...ticket.comments].reverse() : ticket.comments;
      return send(200, { comments: list, count: list.length, next_page: null });
    }
    if (ticket && m?.[2] === '/audits.json') return send(200, { audits: ticket.audits, count: ticket.audits.length, next_page: null, previous_page: null });
    if (ticket && req.method === 'GET') return send(200, { ticket });
    if (ticket && req.method === 'PUT') {
      const t = body.ticket ?? {};
      const assignee = t.assignee_email ? 7 : ticket.assignee_id;
      if (t.status === 'solved' && !assignee) return send(422, { error: 'RecordInvalid', details: { base: [{ description: 'Status: solved tickets require an assignee' }] } });
      if (t.comment) ticket.comments.push({ id: ++seq, body: t.comment.body, public: t.comment.public ?? true, author_id: 1 });
      ticket.assignee_id = assignee;
      if (t.status) ticket.status = t.status;
      if (t.priority) ticket.priority = t.priority;
      const before = [...ticket.tags];
      ticket.tags = [...ticket.tags.filter((x) => !(t.remove_tags ?? []).includes(x)), ...(t.additional_tags ?? []).filter((x: string) => !ticket.tags.includes(x)), ...(t.tags ?? [])];
      audit(ticket, 'api', 1, before, t.comment ? { body: t.comment.body, public: t.comment.public ?? true } : undefined);
      return send(200, { ticket });
    }
    if (url.pathname === '/api/v2/webhooks' && req.method === 'GET') return send(200, { webhooks, meta: { has_more: false }, links: {} });
    if (url.pathname === '/api/v2/webhooks' && req.method === 'POST') {
      const hook = { ...body.webhook, id: `01WEBHOOK${++seq}` };
      webhooks.push(hook);
      return send(201, { webhook: hook });
    }
    if (/^\/api\/v2\/webhooks\/[^/]+\/signing_secret$/.test(url.pathname)) return send(200, { signing_secret: { algorithm: 'SHA256', secret: 'fake-zendesk-signing-secret' } });
    if (url.pathname === '/api/v2/triggers.json' && req.method === 'GET') return send(200, { triggers, next_page: null, count: triggers.length });
    if (url.pathname === '/api/v2/triggers.json' && req.method === 'POST') {
      const trigger = { ...body.trigger, id: ++seq, active: true };
      triggers.push(trigger);
      return send(201, { trigger });
    }
    if (url.pathname === '/api/v2/macros/search' && req.method === 'GET') {
      const query = (url.searchParams.get('query') ?? '').toLowerCase();
      const found = macros.filter((x) => String(x.title).toLowerCase().includes(query));
      return send(200, { macros: found, count: found.length, next_page: null, previous_page: null });
    }
    if (url.pathname === '/api/v2/macros' && req.method === 'POST') {
      const macro = { ...body.macro, id: ++seq, active: body.macro?.active ?? true };
      macros.push(macro);
      return send(201, { macro });
    }
    return send(404, { error: 'InvalidEndpoint' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    tickets,
    webhooks,
    triggers,
    macros,
    agentUpdate: (id, change) => {
      const ticket = tickets.find((t) => t.id === id)!;
      const before = [...ticket.tags];
      for (const tag of change.addTags ?? []) if (!ticket.tags.includes(tag)) ticket.tags.push(tag);
      const authorId = change.authorId ?? 42;
      if (change.comment) ticket.comments.push({ id: ++seq, body: change.comment, public: change.public ?? false, author_id: authorId });
      return audit(ticket, 'web', authorId, before, change.comment ? { body: change.comment, public: change.public ?? false } : undefined);
    },
    failNext: (count, status, o = {}) => void failures.push({ count, status, ...o }),
    addComment: (id, body, isPublic = false) => {
      const ticket = tickets.find((t) => t.id === id)!;
      ticket.comments.push({ id: ++seq, body, public: isPublic, author_id: 42 });
      audit(ticket, 'web', 42, [...ticket.tags], { body, public: isPublic });
    },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/**
 * Headers + body of a webhook call as Zendesk signs it: base64 HMAC-SHA256 of the timestamp
 * (ISO 8601) followed by the raw body, with the webhook's signing secret.
 */
export function signedDelivery(secret: string, payload: unknown, at = new Date()): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(payload);
  const timestamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    body,
    headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature': createHmac('sha256', secret).update(timestamp + body).digest('base64'), 'x-zendesk-webhook-signature-timestamp': timestamp, 'x-zendesk-webhook-invocation-id': String(Math.floor(Math.random() * 1e10)) },
  };
}
