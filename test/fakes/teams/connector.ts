/**
 * A loopback fake of the Bot Connector service (the `serviceUrl` Teams puts on every activity):
 * a real HTTP server on 127.0.0.1 speaking the v3 REST format botbuilder's ConnectorClient uses,
 * recording what it receives. Create conversation, send, reply and update activity.
 */
import { text } from 'node:stream/consumers';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string | null;
  activityId: string | null;
  body: any;
  authorization: string | null;
}

export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** conversationId/activityId → latest activity. */
  readonly activities = new Map<string, any>();
  private server: Server | null = null;
  private seq = 0;
  /** Makes every send/update answer this status while set. */
  failWith: number | null = null;
  url = '';

  /** The `serviceUrl` to put on inbound activities (ends with `/`). */
  get serviceUrl(): string {
    return `${this.url}/`;
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const raw = await text(req);
      const body = raw ? JSON.parse(raw) : null;
      const path = (req.url ?? '').split('?')[0] ?? '';
      const m = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?$/.exec(path);
      const conversationId = m?.[1] ? decodeURIComponent(m[1]) : null;
      const activityId = m?.[2] ? decodeURIComponent(m[2]) : null;
      this.calls.push({ method: req.method ?? '', path, conversationId, activityId, body, authorization: req.headers.authorization ?? null });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (!m) return send(404, { error: { code: 'NotFound', message: path } });
      if (this.failWith) return send(this.failWith, { error: { code: 'ServiceError', message: 'fake failure' } });
      if (req.method === 'POST' && !conversationId) {
        const id = `19:created-${++this.seq}@thread.tacv2`;
        return send(201, { id, activityId: `act-${this.seq}` });
      }
      if (req.method === 'POST') {
        const id = `act-${++this.seq}`;
        this.activities.set(`${conversationId}/${id}`, { ...body, id });
        return send(201, { id });
      }
      if (req.method === 'PUT' && activityId) {
        const key = `${conversationId}/${activityId}`;
        if (!this.activities.has(key)) return send(404, { error: { code: 'ActivityNotFound', message: key } });
        this.activities.set(key, { ...body, id: activityId });
        return send(200, { id: activityId });
      }
      return send(405, { error: { code: 'MethodNotAllowed', message: req.method } });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Activities sent (POST) into a conversation, newest last. */
  sentTo(conversationId: string): any[] {
    return this.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId).map((c) => c.body);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
