/**
 * Errors of the PagerDuty integration (the kit's vendor errors): final when retrying the same
 * call cannot help (bad config, a 4xx the API will repeat), retryable otherwise (outage, 5xx, 429
 * with PagerDuty's `Retry-After` as `retryAfterMs`, an incident the Events API has not created
 * yet). Never rename a code.
 */
import { vendorErrors } from '../../kit/index.js';

const pagerduty = vendorErrors('pagerduty', {
  retryable: {
    /** The Events API accepted the trigger but the incident is not visible over REST yet. */
    IncidentNotFound: 'pagerduty-incident-not-found',
  },
});

export const PagerDutyFinalCode = pagerduty.codes.Final;
export const PagerDutyRetryableCode = pagerduty.codes.Retryable;

/** The one error type this integration throws; the message starts with its code. */
export class PagerDutyError extends pagerduty.VendorError {}
