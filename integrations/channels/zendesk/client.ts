/**
 * The Zendesk REST client: `fetch` with basic auth `{email}/token:{api_token}`, JSON in and out,
 * 10 s timeout. Non-2xx answers become {@link ZendeskError}s; a 429 whose `Retry-After` is at most
 * 2 s is waited out once, a longer one is thrown with the delay for the activity's retry.
 */
import type { ZendeskConfig } from './config.js';
import { ZendeskError, ZendeskRetryableCode } from './errors.js';

export const MAX_INLINE_WAIT_MS = 2000;

export class ZendeskClient {
  private readonly auth: string;

  constructor(private readonly config: Pick<ZendeskConfig, 'baseUrl' | 'email' | 'apiToken'>) {
    this.auth = `Basic ${Buffer.from(`${config.email}/token:${config.apiToken}`).toString('base64')}`;
  }

  /** `path` starts with `/api/v2/`. Resolves to the parsed JSON body (undefined when empty). */
  async request<T = any>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const what = `Zendesk ${method} ${path.split('?')[0]}`;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.config.baseUrl}${path}`, {
          method,
          headers: { authorization: this.auth, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (err) {
        throw new ZendeskError(ZendeskRetryableCode.Unavailable, `${what} unreachable: ${(err as Error).message}`);
      }
      const text = await res.text();
      const error = ZendeskError.forStatus(what, res.status, res.headers.get('retry-after'), res.status >= 400 ? text.slice(0, 300) : '');
      if (!error) return (text ? JSON.parse(text) : undefined) as T;
      if (error.retryAfterMs !== undefined && error.retryAfterMs <= MAX_INLINE_WAIT_MS && attempt === 0) {
        await new Promise((r) => setTimeout(r, error.retryAfterMs));
        continue;
      }
      throw error;
    }
  }
}
