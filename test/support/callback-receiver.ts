/**
 * A sandbox's verdict endpoint for end-to-end tests: verifies each callback's signature with the
 * agent's secret (activities/deliver.ts), records the payload and answers 200; `next(id)` waits for
 * an action's verdict. (The workflow tests' Sandbox injects failures; bench/lib/receiver counts
 * duplicate deliveries under load.)
 */
import { text } from 'node:stream/consumers';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyCallbackSignature } from '../../core/crypto/index.js';
import type { CallbackPayload } from '../../core/index.js';

/** Verdicts POSTed by the service, verified with the agent's callback secret. */
export class CallbackReceiver {
  constructor(private readonly secret: string) {}

  readonly verdicts: { payload: CallbackPayload; at: number }[] = [];
  rejected = 0;
  private server: Server | null = null;
  private waiters = new Map<string, ((v: CallbackPayload) => void)[]>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const raw = await text(req);
      const at = performance.now();
      const ok = verifyCallbackSignature(this.secret, req.headers['countersign-timestamp'] as string, raw, req.headers['countersign-signature'] as string, Date.now());
      if (!ok.ok) {
        this.rejected += 1;
        res.writeHead(401).end();
        return;
      }
      const payload = JSON.parse(raw) as CallbackPayload;
      this.verdicts.push({ payload, at });
      for (const w of this.waiters.get(payload.id) ?? []) w(payload);
      this.waiters.delete(payload.id);
      res.writeHead(200).end('{}');
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/verdicts`;
    return this;
  }

  /** Resolves with the verdict for `id` (at once if it already came). */
  next(id: string): Promise<CallbackPayload> {
    const seen = this.verdicts.find((v) => v.payload.id === id);
    if (seen) return Promise.resolve(seen.payload);
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
