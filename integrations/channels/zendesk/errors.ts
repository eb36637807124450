/**
 * Errors of the Zendesk integration (the kit's vendor errors): final when retrying cannot help
 * (bad config, a 4xx Zendesk will repeat), retryable otherwise (outage, 5xx, 429 with Zendesk's
 * `Retry-After` as `retryAfterMs`). Never rename a code.
 */
import { vendorErrors } from '../../kit/index.js';

const zendesk = vendorErrors('zendesk');

export const ZendeskFinalCode = zendesk.codes.Final;
export const ZendeskRetryableCode = zendesk.codes.Retryable;

/** The one error type this integration throws; the message starts with its code. */
export class ZendeskError extends zendesk.VendorError {}
