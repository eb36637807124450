/** The activities the approval workflow calls, each with the timeouts and retries its job needs. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ApprovalActivities } from '../../activities/types.js';

/**
 * The audit append runs as a local activity: it is a millisecond file write on the worker that
 * runs the workflow, so it needs no round trip through the server's task queue (two per approval).
 * Like any activity it is at least once: a worker dying right after the write repeats it.
 */
export const { audit } = proxyLocalActivities<ApprovalActivities>({
  // An append takes milliseconds; a short timeout retries it soon when a write hangs.
  startToCloseTimeout: '10 seconds',
  // The record must be written: retry until it is (disk full, permissions are operator problems).
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export const cards = proxyActivities<ApprovalActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/** The final card: nobody waits on it, so it may keep trying for a while (a vendor may lag or rate-limit). */
export const finalCards = proxyActivities<ApprovalActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '15 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '60 seconds', maximumAttempts: 12 },
});

export const { deliverVerdict } = proxyActivities<ApprovalActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '60 seconds' },
});
