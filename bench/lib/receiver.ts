/**
 * A sandbox-side verdict receiver on 127.0.0.1: verifies each callback's signature the way a real
 * sandbox must (activities/deliver.ts), records it, and only then answers 2xx. The first delivery of
 * an idempotency key is "executed"; later ones are duplicates (delivered again, not executed).
 */
import { text } from 'node:stream/consumers';
import { createServer, type Server } from 'node:http';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyCallbackSignature } from '../../core/crypto/index.js';
import type { CallbackPayload } from '../../core/index.js';

export interface Execution {
  payload: CallbackPayload;
  /** Epoch ms when first received. */
  at: number;
  /** Deliveries of this key (1 = no duplicate). */
  deliveries: number;
  /** Later deliveries whose status/verdict differ from the first (must stay 0). */
  conflicting: number;
}

export interface ReceiverOptions {
  secret: string;
  /** Answer 503 (before recording) to the first attempt of this fraction of keys, to exercise retries. */
  rejectFirstFraction?: number;
  /** Deterministic 0..1 per key; default a hash of the key. */
  pick?: (key: string) => number;
}

export class CallbackReceiver {
  readonly executed = new Map<string, Execution>();
  /** Requests refused: bad signature, bad body, or injected 503s. */
  badSignature = 0;
  badRequest = 0;
  injectedFailures = 0;
  private readonly rejected = new Set<string>();
  private server: Server | null = null;
  url = '';

  constructor(private readonly options: ReceiverOptions) {}

  get duplicates(): number {
    let n = 0;
    for (const e of this.executed.values()) n += e.deliveries - 1;
    return n;
  }

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const raw = await text(req);
      const header = (name: string): string | undefined => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v[0] : v;
      };
      const check = verifyCallbackSignature(this.options.secret, header(TIMESTAMP_HEADER), raw, header(SIGNATURE_HEADER), Date.now());
      if (!check.ok) {
        this.badSignature++;
        res.writeHead(401).end(check.reason);
        return;
      }
      let payload: CallbackPayload;
      try {
        payload = JSON.parse(raw) as CallbackPayload;
      } catch {
        this.badRequest++;
        res.writeHead(400).end('bad json');
        return;
      }
      const key = header(IDEMPOTENCY_HEADER);
      if (!key || key !== payload.idempotencyKey || key !== payload.id) {
        this.badRequest++;
        res.writeHead(400).end('idempotency key mismatch');
        return;
      }
      const fraction = this.options.rejectFirstFraction ?? 0;
      if (fraction > 0 && !this.rejected.has(key) && !this.executed.has(key) && (this.options.pick ?? hash01)(key) < fraction) {
        this.rejected.add(key);
        this.injectedFailures++;
        res.writeHead(503).end('try again');
        return;
      }
      const seen = this.executed.get(key);
      if (seen) {
        seen.deliveries++;
        if (seen.payload.status !== payload.status || seen.payload.verdict !== payload.verdict) seen.conflicting++;
      } else {
        this.executed.set(key, { payload, at: Date.now(), deliveries: 1, conflicting: 0 });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}/callback`;
    return this.url;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

function hash01(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}
