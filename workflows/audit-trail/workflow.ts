/**
 * The audit trail of one tenant's refusals at the API: each `record` signal is appended to the
 * audit log in arrival order (the same local activity the approval workflow appends with). The
 * run continues as new every 500 entries, carrying what it has not appended yet, and completes
 * after an hour without any, so a quiet tenant costs nothing; the next signal starts a new run.
 */
import { allHandlersFinished, condition, continueAsNew, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { recordSignal, type AuditEntryInput, type AuditTrailInput } from '../../core/index.js';
import type { ApprovalActivities } from '../../activities/types.js';

const { audit } = proxyLocalActivities<ApprovalActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

const ENTRIES_PER_RUN = 500;
const IDLE = '1 hour';

export async function auditTrailWorkflow(input: AuditTrailInput): Promise<void> {
  const queue: AuditEntryInput[] = [...(input.pending ?? [])];
  let appended = 0;
  setHandler(recordSignal, (entry) => void queue.push(entry));
  for (;;) {
    if (!(await condition(() => queue.length > 0, IDLE))) {
      await condition(allHandlersFinished);
      if (queue.length === 0) return;
    }
    while (queue.length > 0) {
      await audit(queue[0]!);
      queue.shift();
      appended++;
    }
    if (appended >= ENTRIES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof auditTrailWorkflow>({ tenant: input.tenant, pending: queue });
    }
  }
}
