/** The `<zone>` part of a change window, and a cached UTC-offset lookup for it. */
import { PolicyErrorCode } from '../errors.js';
import { FORMAT_HINT, windowError } from './error.js';

const HOUR_MS = 3_600_000;
/** `Date` accepts epoch milliseconds in ±8.64e15. */
const MAX_MS = 8.64e15;
const SLOTS = 32; // power of two: the slot is `hourBucket & (SLOTS - 1)`

function formatter(zone: string): Intl.DateTimeFormat | undefined {
  if (zone === '') return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  } catch {
    return undefined;
  }
}

/**
 * Validates the zone part, `text` starting at `at` in the source, and returns a formatter for it.
 * Tells extra `/parts` around a valid zone apart from an unknown zone.
 * @throws PolicyError `unknown-time-zone`, or `bad-change-window` for extra parts
 */
export function parseZone(text: string, at: number, q: string): Intl.DateTimeFormat {
  const whole = formatter(text);
  if (whole !== undefined) return whole;
  const parts = text.split('/');
  for (let k = parts.length - 1; k >= 1; k--) {
    const zone = parts.slice(0, k).join('/');
    if (formatter(zone) !== undefined) {
      throw windowError(`${q} has an extra part "${text.slice(zone.length + 1)}" after the time zone ${zone}.`,
        at + zone.length, FORMAT_HINT);
    }
  }
  for (let k = 1; k < parts.length && /\d/.test(parts[0]!); k++) {
    if (formatter(parts.slice(k).join('/')) !== undefined) {
      const extra = parts.slice(0, k).join('/');
      throw windowError(`${q} has an extra part "${extra}" before the time zone.`, at, FORMAT_HINT);
    }
  }
  throw windowError(`${q} names an unknown time zone "${text}".`, at,
    'Use an IANA time-zone name such as Europe/Berlin, America/New_York or UTC.', PolicyErrorCode.UnknownTimeZone);
}

/** Offset (ms, local minus UTC) from a `longOffset` rendering: `GMT`, `GMT+01:00`, `GMT+00:53:28`. */
function exactOffset(fmt: Intl.DateTimeFormat, ms: number): number {
  const text = fmt.format(Math.min(MAX_MS, Math.max(-MAX_MS, ms)));
  const m = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text);
  if (m === null) throw new Error(`unexpected time-zone rendering: ${text}`);
  if (m[1] === undefined) return 0;
  const size = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '-' ? -size : size;
}

/**
 * Returns `offsetAt(ms)`: the zone's UTC offset in ms at instant `ms`. Results are cached per UTC
 * hour in a small direct-mapped table; an hour holding an offset change is cached with the exact
 * change instant (found by bisection once), so lookups stay exact and allocation-free on a hit.
 */
export function zoneOffset(fmt: Intl.DateTimeFormat): (ms: number) => number {
  const keys = new Float64Array(SLOTS).fill(Number.NaN);
  const before = new Float64Array(SLOTS);
  const after = new Float64Array(SLOTS);
  const changeAt = new Float64Array(SLOTS);
  return (ms) => {
    const hour = Math.floor(ms / HOUR_MS);
    const slot = hour & (SLOTS - 1);
    if (keys[slot] !== hour) {
      let lo = hour * HOUR_MS;
      let hi = lo + HOUR_MS - 1;
      const a = exactOffset(fmt, lo);
      const b = exactOffset(fmt, hi);
      while (a !== b && hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (exactOffset(fmt, mid) === a) lo = mid;
        else hi = mid;
      }
      keys[slot] = hour;
      before[slot] = a;
      after[slot] = b;
      changeAt[slot] = a === b ? Number.POSITIVE_INFINITY : hi;
    }
    return ms < changeAt[slot]! ? before[slot]! : after[slot]!;
  };
}
