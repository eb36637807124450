/**
 * The SLA clock of an approval, one definition for both sides: the API's first answer states the
 * deadline and the workflow's timers expire the approval at that same moment.
 */

/** How far before the workflow's start a submission time is still believed. */
const MAX_SUBMIT_LAG_MS = 60_000;

/** Epoch ms at which an approval whose SLA clock started at `start` expires. */
export function slaDeadline(start: number, slaSeconds: number): number {
  return start + Math.max(0, slaSeconds) * 1000;
}

/**
 * When the SLA clock starts: the submission the API accepted, so the deadline it answered with is
 * the one the workflow keeps. A submission time the workflow's clock cannot confirm (ahead of the
 * start, or long before it: a skewed API host) falls back to the workflow's start.
 */
export function slaStart(submittedAt: number, workflowStart: number): number {
  const ok = Number.isFinite(submittedAt) && submittedAt <= workflowStart && workflowStart - submittedAt <= MAX_SUBMIT_LAG_MS;
  return ok ? submittedAt : workflowStart;
}
