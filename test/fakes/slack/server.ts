/**
 * A loopback fake of the Slack Web API: a real HTTP server on 127.0.0.1 that speaks Slack's wire
 * format (form or JSON bodies, `{ ok, … }` answers, 429 with Retry-After) and records every call.
 * Methods: auth.test, chat.postMessage, chat.update, chat.postEphemeral, views.open, views.update, users.info,
 * usergroups.users.list, plus a `response_url` sink at `/response/<id>`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  /** Request path (`/api/chat.update`, `/response/<id>`). */
  path: string;
  body: Record<string, any>;
  token: string | null;
  at: number;
}

export interface FakeSlackOptions {
  token: string;
  users?: Record<string, { email?: string }>;
  usergroups?: Record<string, string[]>;
}

type Failure = { status: 429; retryAfter: number } | { error: string };

const JSON_FIELDS = ['blocks', 'view', 'attachments'];

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parse(raw: string, type: string | undefined): Record<string, any> {
  if (type?.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, any>) : {};
  const out: Record<string, any> = Object.fromEntries(new URLSearchParams(raw));
  for (const f of JSON_FIELDS) if (typeof out[f] === 'string') out[f] = JSON.parse(out[f]);
  return out;
}

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly messages = new Map<string, Record<string, any>>();
  private server: Server | null = null;
  private ts = 1_700_000_000_000;
  private views = 0;
  /** Open modals by view id (views.open, views.update). */
  readonly openViews = new Map<string, Record<string, any>>();
  private readonly failures = new Map<string, { failure: Failure; times: number }>();
  url = '';

  constructor(private readonly options: FakeSlackOptions) {}

  /** Base URL for `SLACK_API_URL` (ends with `/api/`). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** Makes the next `times` calls of `method` fail (Infinity = until `clearFailures`). */
  fail(method: string, failure: Failure, times = 1): void {
    this.failures.set(method, { failure, times });
  }
  clearFailures(): void {
    this.failures.clear();
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void (async () => {
        const raw = await read(req);
        const path = (req.url ?? '').split('?')[0] ?? '';
        const body = parse(raw, req.headers['content-type']);
        const auth = req.headers.authorization;
        const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (body.token as string | undefined) ?? null;
        const method = path.startsWith('/api/') ? path.slice(5) : path.startsWith('/response/') ? 'response_url' : path;
        this.calls.push({ method, path, body, token, at: Date.now() });
        const { status, payload, headers } = this.answer(method, body, token);
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      })();
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private answer(method: string, body: Record<string, any>, token: string | null): { status: number; payload: unknown; headers?: Record<string, string> } {
    if (method === 'response_url') return { status: 200, payload: { ok: true } };
    const f = this.failures.get(method);
    if (f && f.times > 0) {
      f.times -= 1;
      if ('status' in f.failure) return { status: 429, payload: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(f.failure.retryAfter) } };
      return { status: 200, payload: { ok: false, error: f.failure.error } };
    }
    if (token !== this.options.token) return { status: 200, payload: { ok: false, error: 'invalid_auth' } };
    const ok = (extra: Record<string, unknown>) => ({ status: 200, payload: { ok: true, ...extra } });
    switch (method) {
      case 'auth.test':
        return ok({ user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', team: 'Acme', user: 'countersign' });
      case 'chat.postMessage': {
        const ts = `${Math.floor(++this.ts / 1000)}.${String(this.ts % 1_000_000).padStart(6, '0')}`;
        if (!body.thread_ts) this.messages.set(`${body.channel}/${ts}`, { ...body, ts });
        return ok({ channel: body.channel, ts, message: { ...body, ts } });
      }
      case 'chat.update': {
        const key = `${body.channel}/${body.ts}`;
        if (!this.messages.has(key)) return { status: 200, payload: { ok: false, error: 'message_not_found' } };
        this.messages.set(key, { ...body });
        return ok({ channel: body.channel, ts: body.ts });
      }
      case 'chat.postEphemeral':
        return ok({ message_ts: `${Date.now() / 1000}` });
      case 'views.open': {
        if (!body.trigger_id) return { status: 200, payload: { ok: false, error: 'invalid_trigger_id' } };
        const id = `V${++this.views}`;
        this.openViews.set(id, body.view);
        return ok({ view: { id, ...body.view } });
      }
      case 'views.update': {
        // https://api.slack.com/methods/views.update: view_id (or external_id) and the new view.
        if (!body.view_id || !this.openViews.has(body.view_id)) return { status: 200, payload: { ok: false, error: 'not_found' } };
        this.openViews.set(body.view_id, body.view);
        return ok({ view: { id: body.view_id, ...body.view } });
      }
      case 'users.info': {
        const user = this.options.users?.[body.user];
        return user ? ok({ user: { id: body.user, profile: { email: user.email } } }) : { status: 200, payload: { ok: false, error: 'user_not_found' } };
      }
      case 'usergroups.users.list':
        return ok({ users: this.options.usergroups?.[body.usergroup] ?? [] });
      default:
        return { status: 200, payload: { ok: false, error: 'unknown_method' } };
    }
  }
}
