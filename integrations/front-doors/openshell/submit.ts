/**
 * Filing a chunk as a Countersign action, through the same service function as the HTTP API's
 * `POST /v1/actions` (authentication, validation, policy decision, limits, workflow start and
 * idempotency all stay there), as the OpenShell agent whose API key the configuration names.
 */
import { CountersignError, type ActionSubmission, type SubmitAction } from '../../../core/index.js';
import { FinalErrorCode, OpenShellError, RetryableErrorCode } from './errors.js';

export interface SubmitResult {
  id: string;
  status: string;
  /** false: the same idempotency key was already filed (a re-poll). */
  created: boolean;
}

/** Files one action; throws {@link OpenShellError} on failure. */
export type Submitter = (submission: ActionSubmission) => Promise<SubmitResult>;

/** A submitter over the service's submit port, as the agent holding `apiKey`. */
export function portSubmitter(submit: SubmitAction, apiKey: string): Submitter {
  return async (submission) => {
    try {
      const { created, response } = await submit(apiKey, submission);
      return { id: response.id, status: response.status, created };
    } catch (error) {
      // The key was filed before with other params (e.g. a hit count that moved): it exists.
      if (error instanceof CountersignError && error.code === 'idempotency-conflict' && typeof error.details.id === 'string') {
        return { id: error.details.id, status: 'pending', created: false };
      }
      const code = error instanceof CountersignError ? ` (${error.code})` : '';
      // A final refusal (forbidden, unknown blueprint, invalid request) will not change by trying again.
      const final = error instanceof CountersignError && error.final;
      throw new OpenShellError(final ? FinalErrorCode.SubmitRefused : RetryableErrorCode.Submit, `Countersign refused the submission${code}: ${(error as Error).message}`);
    }
  };
}
