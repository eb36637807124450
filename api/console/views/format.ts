/** Small text formats the console's views share: times, durations, values. */

/** `2026-12-02 09:14:05 UTC`: one unambiguous time for every reader. */
export function utc(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

/** `in 29m 59s`, `in 2h 05m`, `overdue`: the time left until `deadline` (the browser keeps it live). */
export function timeLeft(deadline: number, now: number): string {
  const s = Math.floor((deadline - now) / 1000);
  if (s <= 0) return 'overdue';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `in ${h}h ${String(m).padStart(2, '0')}m`;
  return `in ${m}m ${String(sec).padStart(2, '0')}s`;
}

/** A param value as text: strings as they are, everything else as JSON. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}
