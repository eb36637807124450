/**
 * Change windows: when production changes may go ahead without an emergency override.
 * Syntax `<days>/<HH:MM>-<HH:MM>/<IANA zone>`, e.g. `tue-thu/09:00-17:00/UTC`, evaluated in the
 * zone's local wall-clock time. Parts live in `change-window/`.
 */
import { parseDays } from './days.js';
import { FORMAT_HINT, windowError } from './error.js';
import { parseSpan } from './time.js';
import { parseZone, zoneOffset } from './zone.js';

/** A parsed change window. */
export interface ChangeWindow {
  /** The text as written in the policy. */
  readonly source: string;
  /** The canonical IANA zone name, e.g. `Europe/Berlin` (`UTC` for `utc`, `Etc/UTC`, `GMT`). */
  readonly zone: string;
  /** True when `nowMs` (epoch ms) falls inside the window; start inclusive, end exclusive. Allocation-light; never throws. */
  contains(nowMs: number): boolean;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const MAX_MS = 8.64e15;

/**
 * Parses a change window. Days: `tue-thu`, `fri-mon` (wraps), `mon,wed,fri`, `mon-wed,fri`, `daily`
 * or `*`; three-letter or full names, any case. Hours: `09:00-17:00` (end exclusive; `24:00` only as
 * an end); `22:00-06:00` opens at 22:00 on each listed day and closes at 06:00 the next day.
 * Times are local wall-clock times: across a DST change `09:00` stays 09:00 local; wall-clock minutes
 * skipped by spring-forward never occur, and a repeated autumn hour is inside the window both times.
 * @throws PolicyError `bad-change-window` or `unknown-time-zone`, with `offset` into `source`.
 */
export function parseChangeWindow(source: string): ChangeWindow {
  const text = String(source);
  const first = text.search(/\S/);
  if (first < 0) throw windowError('Change window is empty.', 0, FORMAT_HINT);
  const end = text.search(/\s*$/);
  const body = text.slice(first, end);
  const q = `Change window "${body}"`;
  const cut1 = text.indexOf('/', first);
  const cut2 = cut1 < 0 ? -1 : text.indexOf('/', cut1 + 1);
  const daysEnd = cut1 < 0 ? end : cut1;
  if (/^\d/.test(body)) {
    throw windowError(`${q} starts with hours; the days are missing.`, first, `Put the days first, e.g. daily/${body}.`);
  }
  if (daysEnd === first) throw windowError(`${q} has no days before the first "/".`, first, FORMAT_HINT);
  const days = parseDays(text.slice(first, daysEnd), first, q);
  if (daysEnd === end) {
    throw windowError(`${q} has no hours or time zone.`, end, `Add them, e.g. ${body}/09:00-17:00/UTC.`);
  }
  const spanEnd = cut2 < 0 ? end : cut2;
  const span = parseSpan(text.slice(cut1 + 1, spanEnd), cut1 + 1, q);
  if (spanEnd === end || spanEnd + 1 === end) {
    const example = `${text.slice(first, spanEnd)}/UTC`;
    throw windowError(`${q} has no time zone.`, end, `Add the zone after a "/", e.g. ${example} or ${example.replace(/UTC$/, 'Europe/Berlin')}.`);
  }
  const fmt = parseZone(text.slice(spanEnd + 1, end), spanEnd + 1, q);
  const zone = fmt.resolvedOptions().timeZone;
  const offsetAt = zone === 'UTC' ? null : zoneOffset(fmt);
  const { start, end: close } = span;
  const overnight = start > close;
  const previous = ((days << 1) | (days >> 6)) & 0x7f; // bit d set when day d-1 is listed
  return {
    source,
    zone,
    contains(nowMs: number): boolean {
      if (!(nowMs >= -MAX_MS && nowMs <= MAX_MS)) return false; // NaN, ±Infinity, not a Date
      try {
        const local = offsetAt === null ? nowMs : nowMs + offsetAt(nowMs);
        const dayNumber = Math.floor(local / DAY_MS);
        const minute = Math.floor((local - dayNumber * DAY_MS) / MINUTE_MS);
        const weekday = (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
        if (!overnight) return minute >= start && minute < close && ((days >> weekday) & 1) === 1;
        if (minute >= start) return ((days >> weekday) & 1) === 1;
        return minute < close && ((previous >> weekday) & 1) === 1;
      } catch {
        return false; // fail closed: outside the window
      }
    },
  };
}
