/**
 * A loopback PagerDuty over HTTPS (test CA): the Events API v2 (`POST /v2/enqueue`) and the REST
 * endpoints Countersign uses (incidents, their alerts and notes, users, webhook subscriptions),
 * with PagerDuty's wire shapes and status codes as its REST reference (PagerDuty/api-schema)
 * states them. An Events API v2 event opens an incident with one child alert whose `alert_key` is
 * the event's dedup key and whose body carries the custom details; such an incident has no
 * incident key ("Incidents with child alerts do not have an incident key; querying by incident key
 * will return incidents whose alerts have alert_key matching"). Notes answer 200. Records every
 * request; `failNext` injects outages and 429s.
 */
import { text } from 'node:stream/consumers';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCa } from '../tls.js';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}
export interface FakeAlert {
  id: string;
  alert_key: string;
  status: 'triggered' | 'resolved';
  details: Record<string, unknown>;
}
export interface FakeIncident {
  id: string;
  /** The dedup key of the event that opened it (its alert's `alert_key`). */
  dedupKey: string;
  alerts: FakeAlert[];
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency: 'high' | 'low';
  title: string;
  routing_key: string;
  trigger: any;
  notes: { id: string; content: string; user: { id: string; type: string } }[];
}

export interface FakePagerDuty {
  /** `127.0.0.1:<port>`: the value of PAGERDUTY_EVENTS_HOST and PAGERDUTY_API_HOST. */
  host: string;
  requests: Recorded[];
  incidents: FakeIncident[];
  subscriptions: any[];
  /** The next `count` requests (matching `path` prefix when given) answer `status`. */
  failNext(count: number, status: number, options?: { path?: string; retryAfter?: string }): void;
  /** Drops every pending injected failure. */
  clearFailures(): void;
  close(): Promise<void>;
}

export interface FakePagerDutyOptions {
  tls: TestCa;
  token: string;
  routingKeys: string[];
  users: Record<string, { email: string; name: string }>;
}

export async function startFakePagerDuty(opts: FakePagerDutyOptions): Promise<FakePagerDuty> {
  const requests: Recorded[] = [];
  const incidents: FakeIncident[] = [];
  const subscriptions: any[] = [];
  const failures: { count: number; status: number; path?: string; retryAfter?: string }[] = [];
  let seq = 0;
  const id = (prefix: string) => `${prefix}${String(++seq).padStart(6, '0')}`;

  const server: Server = createServer({ key: opts.tls.key, cert: opts.tls.cert }, async (req, res) => {
    const raw = await text(req);
    const url = new URL(req.url ?? '/', 'https://fake');
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(data));
    };
    const fail = failures.find((f) => f.count > 0 && (!f.path || url.pathname.startsWith(f.path)));
    if (fail) {
      fail.count--;
      return send(fail.status, { error: { message: 'injected failure' } }, fail.retryAfter ? { 'retry-after': fail.retryAfter } : {});
    }
    if (url.pathname === '/v2/enqueue' && req.method === 'POST') return send(...enqueue(body));
    if (req.headers.authorization !== `Token token=${opts.token}`) return send(401, { error: { message: 'Unauthorized', code: 2006 } });
    const parts = url.pathname.split('/').filter(Boolean);
    const incident = parts[0] === 'incidents' && parts[1] ? incidents.find((i) => i.id === parts[1]) : undefined;
    if (parts[0] === 'incidents' && parts.length === 1 && req.method === 'GET') {
      const key = url.searchParams.get('incident_key');
      return send(200, { incidents: incidents.filter((i) => !key || i.alerts.some((a) => a.alert_key === key)).map(view), limit: 25, offset: 0, more: false, total: null });
    }
    if (parts[0] === 'incidents' && parts[1] && !incident) return send(404, { error: { message: 'Not Found', code: 2100 } });
    if (incident && parts.length === 2 && req.method === 'GET') return send(200, { incident: view(incident) });
    if (incident && parts.length === 2 && req.method === 'PUT') {
      if (!req.headers.from) return send(400, { error: { message: 'From header required' } });
      Object.assign(incident, body?.incident?.urgency ? { urgency: body.incident.urgency } : {}, body?.incident?.status ? { status: body.incident.status } : {});
      return send(200, { incident: view(incident) });
    }
    if (incident && parts[2] === 'alerts' && req.method === 'GET') {
      const alerts = incident.alerts.map((a) => ({
        id: a.id, type: 'alert', summary: incident.title, status: a.status, alert_key: a.alert_key,
        incident: { id: incident.id, type: 'incident_reference' }, body: { type: 'alert_body', contexts: [], details: a.details },
      }));
      return send(200, { alerts, limit: 25, offset: 0, more: false, total: null });
    }
    if (incident && parts[2] === 'notes' && req.method === 'GET') return send(200, { notes: incident.notes });
    if (incident && parts[2] === 'notes' && req.method === 'POST') {
      if (!req.headers.from) return send(400, { error: { message: 'From header required' } });
      const note = { id: id('N'), content: String(body?.note?.content ?? ''), user: { id: 'PFROM01', type: 'user_reference' } };
      incident.notes.push(note);
      return send(200, { note });
    }
    if (parts[0] === 'users' && parts[1] && req.method === 'GET') {
      const user = opts.users[parts[1]];
      return user ? send(200, { user: { id: parts[1], type: 'user', ...user } }) : send(404, { error: { message: 'Not Found', code: 2100 } });
    }
    if (parts[0] === 'webhook_subscriptions') {
      if (req.method === 'GET') return send(200, { webhook_subscriptions: subscriptions.map((s) => ({ ...s, delivery_method: { ...s.delivery_method, secret: null } })), limit: 100, offset: 0, more: false, total: null });
      if (req.method === 'POST') {
        const sub = { ...body.webhook_subscription, id: id('PW'), active: true, delivery_method: { ...body.webhook_subscription.delivery_method, id: id('PD'), secret: 'fake-secret-shown-once' } };
        subscriptions.push(sub);
        return send(201, { webhook_subscription: sub });
      }
      const sub = subscriptions.find((s) => s.id === parts[1]);
      if (req.method === 'PUT' && sub) return send(200, { webhook_subscription: Object.assign(sub, body.webhook_subscription) });
    }
    return send(404, { error: { message: 'Not Found' } });
  });

  function enqueue(body: any): [number, unknown] {
    if (!body || !opts.routingKeys.includes(body.routing_key)) return [400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] }];
    const key = body.dedup_key ?? id('K');
    const open = incidents.find((i) => i.dedupKey === key && i.status !== 'resolved');
    if (body.event_action === 'trigger') {
      if (!body.payload?.summary || !body.payload?.source || !body.payload?.severity) return [400, { status: 'invalid event', message: 'Event object is invalid', errors: ['payload is missing fields'] }];
      if (!open) {
        const alert: FakeAlert = { id: id('A'), alert_key: key, status: 'triggered', details: body.payload.custom_details ?? {} };
        incidents.push({ id: id('Q'), dedupKey: key, alerts: [alert], status: 'triggered', urgency: 'high', title: body.payload.summary, routing_key: body.routing_key, trigger: body, notes: [] });
      }
    } else if (body.event_action === 'resolve' && open) {
      open.status = 'resolved';
      for (const a of open.alerts) a.status = 'resolved';
    }
    else if (body.event_action === 'acknowledge' && open) open.status = 'acknowledged';
    return [202, { status: 'success', message: 'Event processed', dedup_key: key }];
  }

  const view = (i: FakeIncident) => ({ id: i.id, type: 'incident', incident_key: null, status: i.status, urgency: i.urgency, title: i.title });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    incidents,
    subscriptions,
    failNext: (count, status, o = {}) => void failures.push({ count, status, ...o }),
    clearFailures: () => void failures.splice(0),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A Webhooks v3 `incident.annotated` delivery as PagerDuty documents it. */
export function annotatedEvent(eventId: string, incidentId: string, userId: string, content: string, trimmed = false): string {
  return JSON.stringify({
    event: {
      id: eventId,
      event_type: 'incident.annotated',
      resource_type: 'incident',
      occurred_at: new Date().toISOString(),
      agent: { html_url: `https://acme.pagerduty.com/users/${userId}`, id: userId, self: `https://api.pagerduty.com/users/${userId}`, summary: 'User', type: 'user_reference' },
      client: null,
      data: {
        incident: { html_url: `https://acme.pagerduty.com/incidents/${incidentId}`, id: incidentId, self: `https://api.pagerduty.com/incidents/${incidentId}`, summary: 'Approval', type: 'incident_reference' },
        id: `N${eventId.slice(0, 6)}`,
        content,
        trimmed,
        type: 'incident_note',
      },
    },
  });
}
