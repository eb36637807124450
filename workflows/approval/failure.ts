import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** An activity error's messages down to the ApplicationFailure (code: message), for history and audit. */
export function failureMessage(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err instanceof ActivityFailure ? (err.cause ?? err) : err;
  while (e instanceof Error && parts.length < 4) {
    if (e instanceof ApplicationFailure) {
      parts.push(e.type ? `${e.type}: ${e.message}` : e.message);
      break;
    }
    parts.push(e.message);
    e = e.cause;
  }
  return parts.join('; last error: ') || String(err);
}
