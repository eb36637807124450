/**
 * The bare-Temporal peer of bench/pending: a workflow that waits like a pending approval (the same
 * schedule code: reminder wakes, then the deadline) and does nothing else. Its wakes cost only
 * Temporal's timer, workflow task and replay; an approval's cost the same plus Countersign's work.
 */
import { condition, defineSignal, setHandler, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { dueAt, makeSchedule, nextWakeAt, remindersAfter, type Progress } from '../../workflows/approval/timers.js';
import { SearchAttributeKey } from '../../core/index.js';

export const floorDecideSignal = defineSignal<[]>('decide');

export interface FloorPendingInput {
  /** Epoch ms the SLA runs from (the client's submission time). */
  start: number;
  slaSeconds: number;
  remindEverySeconds: number;
}

/** Resolves with the workflow clock at expiry (null when decided first), also kept in the memo for listing. */
export async function floorPendingWorkflow(input: FloorPendingInput): Promise<{ expiredAt: number | null }> {
  const schedule = makeSchedule(input.start, { slaSeconds: input.slaSeconds, remindEverySeconds: input.remindEverySeconds, escalateAfterSeconds: null }, false);
  const progress: Progress = { remindersSent: 0, escalated: false };
  let decided = false;
  setHandler(floorDecideSignal, () => void (decided = true));
  upsertSearchAttributes([
    { key: SearchAttributeKey.Status, value: 'pending' },
    { key: SearchAttributeKey.Deadline, value: new Date(schedule.deadline) },
  ]);
  for (;;) {
    const wait = nextWakeAt(schedule, progress) - Date.now();
    if (wait > 0 && (await condition(() => decided, wait))) return { expiredAt: null };
    const now = Date.now();
    const due = dueAt(schedule, progress, now);
    if (due.includes('expire')) {
      upsertSearchAttributes([{ key: SearchAttributeKey.Status, value: 'expired' }]);
      upsertMemo({ expiredAt: now });
      return { expiredAt: now };
    }
    if (due.includes('remind')) progress.remindersSent = remindersAfter(schedule, now);
  }
}
