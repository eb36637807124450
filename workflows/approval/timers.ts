/**
 * Pure schedule of a pending approval: when to remind, escalate and expire. All times are epoch ms
 * from the workflow clock; no Temporal imports.
 */
import { slaDeadline } from '../../core/index.js';

export interface Schedule {
  start: number;
  deadline: number;
  /** ms between reminders, or null. */
  remindEvery: number | null;
  /** Epoch ms of escalation, or null. */
  escalateAt: number | null;
}

export interface Progress {
  remindersSent: number;
  escalated: boolean;
}

export type Due = 'expire' | 'escalate' | 'remind';

export function makeSchedule(
  start: number,
  route: { slaSeconds: number; remindEverySeconds: number | null; escalateAfterSeconds: number | null },
  canEscalate: boolean,
): Schedule {
  const deadline = slaDeadline(start, route.slaSeconds);
  const remindEvery = route.remindEverySeconds && route.remindEverySeconds > 0 ? route.remindEverySeconds * 1000 : null;
  const escalateAt =
    canEscalate && route.escalateAfterSeconds !== null && route.escalateAfterSeconds >= 0
      ? start + route.escalateAfterSeconds * 1000
      : null;
  return { start, deadline, remindEvery, escalateAt: escalateAt !== null && escalateAt < deadline ? escalateAt : null };
}

/** Epoch ms of the next reminder, or null when none falls before the deadline. */
export function nextReminderAt(s: Schedule, p: Progress): number | null {
  if (s.remindEvery === null) return null;
  const at = s.start + (p.remindersSent + 1) * s.remindEvery;
  return at < s.deadline ? at : null;
}

/** The next moment something is due (always ≤ deadline). */
export function nextWakeAt(s: Schedule, p: Progress): number {
  let at = s.deadline;
  const r = nextReminderAt(s, p);
  if (r !== null && r < at) at = r;
  if (!p.escalated && s.escalateAt !== null && s.escalateAt < at) at = s.escalateAt;
  return at;
}

/** What is due at `now`, in the order to carry it out; expiry excludes the rest. */
export function dueAt(s: Schedule, p: Progress, now: number): Due[] {
  if (now >= s.deadline) return ['expire'];
  const due: Due[] = [];
  if (!p.escalated && s.escalateAt !== null && now >= s.escalateAt) due.push('escalate');
  const r = nextReminderAt(s, p);
  if (r !== null && now >= r) due.push('remind');
  return due;
}

/**
 * Reminders counted as sent after one at `now`: overdue slots (a worker was down) collapse into
 * that single reminder instead of a burst.
 */
export function remindersAfter(s: Schedule, now: number): number {
  return s.remindEvery === null ? 0 : Math.max(1, Math.floor((now - s.start) / s.remindEvery));
}

/** `90` → `1m30s`, `7200` → `2h`, `0` → `0s`. */
export function formatSeconds(total: number): string {
  let rest = Math.max(0, Math.round(total));
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
