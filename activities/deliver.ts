/**
 * Delivering a verdict to the sandbox runtime's callback URL.
 *
 * ## Wire format
 * `POST <callbackUrl>` with `Content-Type: application/json` and the body
 * `{"id","status","verdict","reason","decidedBy","decidedAt","requestHash","idempotencyKey"}` (plus `retryAfter` seconds for `blocked`)
 * ({@link CallbackPayload}; `verdict` is `execute` only for `approved`, else `block`;
 * `idempotencyKey` equals `id`). Headers:
 *
 * - `Idempotency-Key: <id>` — the same on every retry; execute each id at most once.
 * - `Countersign-Timestamp: <unix seconds>` — when this attempt was signed.
 * - `Countersign-Signature: v1=<hex>` — HMAC-SHA256 with the agent's callback secret over
 *   `"<timestamp>.<raw body>"` (the exact bytes received). Several comma-separated `v1=` values
 *   may appear during secret rotation; accept the request when any matches.
 *
 * The receiver must verify the signature over the raw body (`verifyCallbackSignature` in
 * core/crypto), reject timestamps outside its tolerance (5 minutes is a good default), and answer
 * 2xx once it has durably accepted the verdict. Any other status, a network error or a 10 s timeout makes
 * Countersign retry with exponential backoff (1 s, 2 s, 4 s … capped at 60 s) for up to 24 h,
 * after which the approval records `delivery_failed`. No callback secret for the agent → nothing
 * is sent (never unsigned) and `delivery_failed` is recorded at once.
 */
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signCallback, TIMESTAMP_HEADER } from '../core/crypto/index.js';
import type { CallbackPayload } from '../core/index.js';
import { activityFailure, FinalErrorCode, RetryableErrorCode } from './errors.js';

export const CALLBACK_TIMEOUT_MS = 10_000;

export interface DeliverVerdictInput {
  id: string;
  callbackUrl: string;
  /** The requesting agent; its callback secret signs the request. */
  agent: string;
  payload: Omit<CallbackPayload, 'id' | 'idempotencyKey'>;
}

export interface DeliverVerdictResult {
  status: number;
}

export interface DeliverDeps {
  callbackSecretFor(agentId: string): string | undefined;
  now?: () => number;
  fetch?: typeof fetch;
}

export async function deliverVerdict(deps: DeliverDeps, input: DeliverVerdictInput): Promise<DeliverVerdictResult> {
  let url: URL;
  try {
    url = new URL(input.callbackUrl);
  } catch {
    throw activityFailure(FinalErrorCode.CallbackUrlInvalid, `callbackUrl ${JSON.stringify(input.callbackUrl)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw activityFailure(FinalErrorCode.CallbackUrlInvalid, `callbackUrl must be http or https, not ${url.protocol}`);
  }
  const secret = deps.callbackSecretFor(input.agent);
  if (!secret) {
    throw activityFailure(
      FinalErrorCode.CallbackSecretMissing,
      `no callback secret for agent ${input.agent}: set agents[].callbackSecret or COUNTERSIGN_CALLBACK_SECRET; the verdict is never sent unsigned`,
    );
  }
  const body: CallbackPayload = { id: input.id, ...input.payload, idempotencyKey: input.id };
  const raw = JSON.stringify(body);
  const timestamp = Math.floor((deps.now ?? Date.now)() / 1000);
  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [IDEMPOTENCY_HEADER]: input.id,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signCallback(secret, timestamp, raw),
      },
      body: raw,
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause;
    throw activityFailure(
      RetryableErrorCode.CallbackUnreachable,
      `callback ${url.origin}${url.pathname} unreachable: ${(err as Error).message}${cause ? ` (${cause.message})` : ''}`,
    );
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status < 200 || response.status > 299) {
    throw activityFailure(RetryableErrorCode.CallbackHttpStatus, `callback ${url.origin}${url.pathname} answered HTTP ${response.status}`, {
      details: { status: response.status },
    });
  }
  return { status: response.status };
}
