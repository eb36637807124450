/**
 * A small JSON client for the Countersign HTTP API, plus a retrying variant for callers that keep
 * going while the API process is being killed and restarted.
 */

export interface JsonResponse {
  status: number;
  body: any;
}

export async function callJson(base: string, method: string, urlPath: string, token: string, body?: unknown, timeoutMs = 60_000): Promise<JsonResponse> {
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

export interface RetryStats {
  /** Attempts that failed on the connection (API down, reset mid-request, timeout). */
  connectionErrors: number;
  /** Attempts answered 5xx (Temporal unreachable while it restarts, API closing). */
  serverErrors: number;
}

/**
 * Calls until the answer is not a connection error or a 5xx, or `deadline` (epoch ms) passes.
 * The request must be idempotent (submissions carry an idempotencyKey; a repeated decision answers 409).
 */
export async function callWithRetry(
  base: string,
  method: string,
  urlPath: string,
  token: string,
  body: unknown,
  stats: RetryStats,
  deadline: number,
): Promise<JsonResponse> {
  let delay = 200;
  for (;;) {
    let last: string;
    try {
      const res = await callJson(base, method, urlPath, token, body, 30_000);
      if (res.status < 500) return res;
      stats.serverErrors++;
      last = `HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
    } catch (error) {
      stats.connectionErrors++;
      last = `${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`;
    }
    if (Date.now() > deadline) throw new Error(`${method} ${urlPath}: gave up: ${last}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 2000);
  }
}
