/**
 * Filing a chunk as a Countersign action. Submission goes through the API's own
 * `POST /v1/actions` (authentication, validation, policy decision, workflow start and idempotency
 * all stay in `ActionsService.submit`): in-process via `fastify.inject` when the adapter runs
 * inside the service, over HTTP when it runs against a remote API.
 */
import type { FastifyInstance } from 'fastify';
import { OpenShellError, RetryableErrorCode } from './errors.js';

export interface SubmitResult {
  id: string;
  status: string;
  /** false: the same idempotency key was already filed (a re-poll). */
  created: boolean;
}

/** Files one action body (`POST /v1/actions` JSON); throws {@link OpenShellError} on failure. */
export type Submitter = (body: Record<string, unknown>) => Promise<SubmitResult>;

type Answer = { status: number; body: any };

function interpret(res: Answer): SubmitResult {
  if (res.status === 200 || res.status === 201) return { id: res.body.id, status: res.body.status, created: res.status === 201 };
  // The key was filed before with other params (e.g. a hit count that moved): it exists.
  if (res.status === 409 && res.body?.error?.id) return { id: res.body.error.id, status: 'pending', created: false };
  throw new OpenShellError(
    RetryableErrorCode.Submit,
    `Countersign refused the submission (HTTP ${res.status}): ${res.body?.error?.message ?? JSON.stringify(res.body)}`,
  );
}

/** In-process: the service's own route, no network. */
export function injectSubmitter(app: FastifyInstance, apiKey: string): Submitter {
  return async (body) => {
    const res = await app.inject({ method: 'POST', url: '/v1/actions', headers: { authorization: `Bearer ${apiKey}` }, payload: body });
    return interpret({ status: res.statusCode, body: res.json() });
  };
}

/** Remote: `<baseUrl>/v1/actions`. */
export function httpSubmitter(baseUrl: string, apiKey: string): Submitter {
  return async (body) => {
    let res: Response;
    try {
      res = await fetch(`${baseUrl.replace(/\/+$/, '')}/v1/actions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new OpenShellError(RetryableErrorCode.Submit, `Countersign API ${baseUrl} unreachable: ${(error as Error).message}`);
    }
    return interpret({ status: res.status, body: await res.json().catch(() => null) });
  };
}
