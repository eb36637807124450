/**
 * The TypeScript client: `import { Countersign } from 'countersign/client'`.
 *
 * ```ts
 * const gate = new Countersign({ baseUrl: 'http://127.0.0.1:8787', apiKey: process.env.COUNTERSIGN_API_KEY! });
 * const approved = await gate.request({ blueprint: 'customer-support', action: 'refund', params: { amount: 75 } });
 * // throws ActionDeniedError / ActionExpiredError / ActionBlockedError when it must not run
 * ```
 * No dependencies beyond `fetch` (Node ≥ 20, browsers, Deno, Bun).
 */
import {
  ActionBlockedError,
  ActionDeniedError,
  ActionExpiredError,
  ActionWithdrawnError,
  AuthError,
  BadRequestError,
  ConflictError,
  ClientError,
  NotFoundError,
  ServerError,
  type ActionState,
} from './errors.js';

export * from './errors.js';

export interface CountersignOptions {
  /** e.g. `http://127.0.0.1:8787` */
  baseUrl: string;
  /** The agent's API key (or an approver token for `get`/`decide`). */
  apiKey: string;
  /** Custom fetch (tests, proxies); defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Seconds per long poll (1-60, default 30). */
  pollSeconds?: number;
  /**
   * Retries of a call answered 503 (Countersign cannot reach Temporal) or not answered at all
   * (default 4), waiting as `Retry-After` says, else 0.5 s doubling up to 5 s. Submissions are
   * retried with one idempotency key, so a retry never files a second action. 0 turns it off.
   */
  retries?: number;
}

export interface ActionInput {
  blueprint: string;
  action: string;
  resource?: string;
  params?: Record<string, unknown>;
  context?: Record<string, unknown>;
  /** Where the verdict is POSTed (signed) when it is final. */
  callbackUrl?: string;
  /** Same key → same action (safe retries). `request()` generates one when omitted. */
  idempotencyKey?: string;
}

export interface Submission {
  id: string;
  status: ActionState['status'];
  verdict: ActionState['verdict'];
  reason: string;
  retryAfter?: number;
  approvers?: readonly string[];
  eligible?: readonly string[];
  deadline?: number;
  /** True when the server answered 200 (an earlier submission with the same idempotencyKey). */
  replayed: boolean;
}

/** What `GET /v1/whoami` says about the key: an agent's tenant and blueprints, or an approver. */
export type Identity =
  | {
      kind: 'agent';
      id: string;
      tenant: string;
      /** The blueprints bound to the agent (`*`: every one). */
      blueprints: readonly string[];
      /** Of the loaded blueprints, those it may submit to. */
      loaded: readonly string[];
    }
  | { kind: 'approver'; id: string; name: string; tenants: readonly string[]; auditorOf: readonly string[] };

export interface RequestOptions {
  /** Give up waiting after this many ms (rejects with code `timeout`; the action stays pending). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const TERMINAL = new Set(['approved', 'denied', 'expired', 'blocked', 'withdrawn']);

export class Countersign {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly pollSeconds: number;
  private readonly retries: number;

  constructor(options: CountersignOptions) {
    if (!options.baseUrl) throw new TypeError('Countersign: baseUrl is required');
    if (!options.apiKey) throw new TypeError('Countersign: apiKey is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.pollSeconds = Math.min(60, Math.max(1, options.pollSeconds ?? 30));
    this.retries = Math.max(0, Math.floor(options.retries ?? 4));
  }

  /**
   * Submits the action and waits until it is final. Resolves with the approved state; rejects with
   * ActionDeniedError, ActionExpiredError or ActionBlockedError when the action must not run.
   */
  async request(input: ActionInput, options: RequestOptions = {}): Promise<ActionState> {
    const key = input.idempotencyKey ?? globalThis.crypto.randomUUID();
    const submitted = await this.submit({ ...input, idempotencyKey: key }, options);
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    let state: ActionState | null = null;
    if (TERMINAL.has(submitted.status)) state = await this.get(submitted.id, {}, options);
    while (!state || !TERMINAL.has(state.status)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new ClientError('timeout', `action ${submitted.id} still ${state?.status ?? submitted.status} after ${options.timeoutMs} ms`);
      const wait = Math.max(0, Math.min(this.pollSeconds, Math.floor(left / 1000)));
      state = await this.get(submitted.id, { wait }, options);
    }
    return settle(state);
  }

  /** Submits without waiting; with a generated idempotency key when none is given, so retries file one action. */
  async submit(input: ActionInput, options: RequestOptions = {}): Promise<Submission> {
    const keyed = input.idempotencyKey ? input : { ...input, idempotencyKey: globalThis.crypto.randomUUID() };
    const { status, body } = await this.call('POST', '/v1/actions', keyed, options);
    return { ...(body as Omit<Submission, 'replayed'>), replayed: status === 200 };
  }

  /** Current state; with `wait` (seconds, ≤ 60) the server holds the call until the action is final. */
  async get(id: string, query: { wait?: number } = {}, options: RequestOptions = {}): Promise<ActionState> {
    const qs = query.wait ? `?wait=${Math.min(60, Math.max(0, Math.floor(query.wait)))}` : '';
    const { body } = await this.call('GET', `/v1/actions/${encodeURIComponent(id)}${qs}`, undefined, options);
    return body as ActionState;
  }

  /** Who this client's key is (an agent: its tenant and blueprints); AuthError when no one. */
  async whoami(options: RequestOptions = {}): Promise<Identity> {
    const { body } = await this.call('GET', '/v1/whoami', undefined, options);
    return body as Identity;
  }

  /** Takes back this agent's pending action (nothing runs); ConflictError when it is already final. */
  async withdraw(id: string, reason?: string, options: RequestOptions = {}): Promise<ActionState> {
    const { body } = await this.call('POST', `/v1/actions/${encodeURIComponent(id)}/withdraw`, reason ? { reason } : {}, options);
    return body as ActionState;
  }

  /** Records an approver's decision (needs an approver token as `apiKey`). */
  async decide(
    id: string,
    decision: { decision: 'approve' | 'deny'; reason?: string },
    options: RequestOptions = {},
  ): Promise<{ counted: boolean; message: string; state: ActionState }> {
    const { body } = await this.call('POST', `/v1/actions/${encodeURIComponent(id)}/decision`, decision, options);
    return body as { counted: boolean; message: string; state: ActionState };
  }

  /** One call, retried while Countersign answers 503 or cannot be reached (see `retries`). */
  private async call(method: string, path: string, payload: unknown, options: RequestOptions): Promise<{ status: number; body: unknown }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, path, payload, options);
      } catch (error) {
        const again = error instanceof ServerError && (error.code === 'network' || error.status === 503);
        if (!again || attempt >= this.retries || options.signal?.aborted) throw error;
        await pause(error.retryAfterMs ?? Math.min(5000, 500 * 2 ** attempt), options.signal);
      }
    }
  }

  private async once(method: string, path: string, payload: unknown, options: RequestOptions): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      const init: RequestInit = {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      };
      if (payload !== undefined) init.body = JSON.stringify(payload);
      if (options.signal) init.signal = options.signal;
      response = await this.fetchFn(`${this.baseUrl}${path}`, init);
    } catch (cause) {
      if (options.signal?.aborted) throw new ClientError('timeout', 'aborted', { cause });
      throw new ServerError('network', `cannot reach Countersign at ${this.baseUrl}: ${(cause as Error).message}`, { cause });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return { status: response.status, body };
    throw toError(response.status, body, text, response.headers.get('retry-after'));
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function toError(status: number, body: unknown, text: string, retryAfter: string | null): ClientError {
  const err = (body as { error?: { code?: string; message?: string; issues?: { path: string; message: string }[] } } | undefined)?.error;
  const message = err?.message ?? (text.slice(0, 200) || `HTTP ${status}`);
  const opts = err?.code ? { status, apiCode: err.code } : { status };
  if (status === 400 || status === 413 || status === 415 || status === 422) return new BadRequestError(message, err?.issues ?? [], opts);
  if (status === 401 || status === 403) return new AuthError(message, opts);
  if (status === 404) return new NotFoundError(message, opts);
  if (status === 409) return new ConflictError(message, opts);
  const seconds = retryAfter !== null && /^\d{1,4}$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return new ServerError('server', message, seconds !== undefined ? { ...opts, retryAfterMs: seconds * 1000 } : opts);
}

/** Resolves an approved state; throws the typed error of any other terminal state. */
function settle(state: ActionState): ActionState {
  switch (state.status) {
    case 'approved':
      return state;
    case 'denied':
      throw new ActionDeniedError(state);
    case 'expired':
      throw new ActionExpiredError(state);
    case 'blocked':
      throw new ActionBlockedError(state);
    case 'withdrawn':
      throw new ActionWithdrawnError(state);
    default:
      throw new ClientError('server', `unexpected status ${String(state.status)}`);
  }
}
