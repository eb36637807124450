/**
 * The PagerDuty wire client: Events API v2 and REST through @pagerduty/pdjs. pdjs only takes a
 * host name (`server`) and always speaks HTTPS; its fetch (node-fetch 2) accepts an `agent`, which
 * is how extra CAs (`PAGERDUTY_CA_FILE`: a TLS-inspecting proxy, or the test CA) are trusted
 * without NODE_EXTRA_CA_CERTS. Non-2xx answers become {@link PagerDutyError}s; a 429 whose
 * `Retry-After` is short is waited out once here, a longer one is thrown with the delay.
 */
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import pdjs from '@pagerduty/pdjs';
import type { PagerDutyConfig } from './config.js';
import { PagerDutyError, PagerDutyRetryableCode } from './errors.js';

type EventPayload = Parameters<typeof pdjs.event>[0]['data'];
export type { EventPayload };

/** Longest `Retry-After` waited inside one call; longer ones are thrown (the activity retries later). */
export const MAX_INLINE_WAIT_MS = 2000;
const TIMEOUT_MS = 10_000;

export interface RestOptions {
  data?: object;
  query?: Record<string, string>;
  /** Sends `From: <PAGERDUTY_FROM_EMAIL>` (required by REST writes such as notes). */
  from?: boolean;
}

export class PagerDutyClient {
  private readonly agent: https.Agent;

  constructor(private readonly config: PagerDutyConfig) {
    this.agent = new https.Agent({ keepAlive: true, ...(config.caPem ? { ca: [...rootCertificates, config.caPem] } : {}) });
  }

  /** `POST /v2/enqueue` on the Events API. */
  async sendEvent(data: EventPayload): Promise<void> {
    await this.call('Events API', () => pdjs.event({ data, server: this.config.eventsHost, ...this.fetchOptions() }));
  }

  /** One REST call; resolves to the parsed JSON body (undefined for 204). */
  async rest<T = any>(method: 'GET' | 'POST' | 'PUT', endpoint: string, options: RestOptions = {}): Promise<T> {
    const res = await this.call(`REST ${method} /${endpoint}`, () =>
      pdjs.api({
        endpoint,
        method,
        server: this.config.apiHost,
        token: this.config.apiToken,
        ...(options.data ? { data: options.data } : {}),
        ...(options.query ? { queryParameters: options.query } : {}),
        ...(options.from ? { headers: { From: this.config.fromEmail } } : {}),
        ...this.fetchOptions(),
      }),
    );
    return (res as { data?: T }).data as T;
  }

  close(): void {
    this.agent.destroy();
  }

  private fetchOptions(): Record<string, unknown> {
    // pdjs passes unknown options through to node-fetch: `agent` (TLS trust), `signal` (its own
    // requestTimeout only sets a timer). `retryTimeout` bounds pdjs' own 429 retries.
    return { agent: this.agent, signal: AbortSignal.timeout(TIMEOUT_MS), retryTimeout: 200 };
  }

  private async call(what: string, send: () => Promise<Response>): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await send();
      } catch (err) {
        // pdjs rejects with the Response when a body is not JSON (a proxy's HTML 502).
        const status = (err as { status?: unknown }).status;
        if (typeof status === 'number') res = err as Response;
        else throw new PagerDutyError(PagerDutyRetryableCode.Unavailable, `${what} unreachable: ${(err as Error).message}`);
      }
      const detail = res.status >= 400 ? JSON.stringify((res as { data?: unknown }).data ?? '').slice(0, 300) : '';
      const error = PagerDutyError.forStatus(what, res.status, res.headers.get('retry-after'), detail);
      if (!error) return res;
      if (error.retryAfterMs !== undefined && error.retryAfterMs <= MAX_INLINE_WAIT_MS && attempt === 0) {
        await new Promise((r) => setTimeout(r, error.retryAfterMs));
        continue;
      }
      throw error;
    }
  }
}
