/**
 * The one duration format: whole seconds, written in policies and environment variables as `30s`,
 * `5m`, `1h30m`, `2d` or a bare number of seconds.
 */
import { CountersignError } from './errors.js';

/** Durations are whole seconds everywhere. */
export type Seconds = number;

/** The longest duration a policy may state: 365 days. */
export const MAX_DURATION_SECONDS: Seconds = 365 * 86_400;

const UNITS = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
] as const;
const UNIT_HINT = 'Use a whole number followed by s (seconds), m (minutes), h (hours) or d (days), e.g. 30s, 5m, 1h30m or 2d.';
const LIMIT_HINT = `Durations can be at most 365d (${MAX_DURATION_SECONDS} seconds).`;

/** A duration that does not parse; `offset` points into the text, `hint` says what to write. */
export class DurationError extends CountersignError<'bad-duration'> {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint: string,
  ) {
    super('bad-duration', message);
  }
}

function fail(message: string, offset: number, hint: string): never {
  throw new DurationError(message, offset, hint);
}

/** Hint for `1.5h`: the same length in a smaller unit, when that is whole (`90m`). */
function fractionHint(value: number, unitIndex: number): string {
  const seconds = value * UNITS[unitIndex]![1];
  for (let i = unitIndex + 1; i < UNITS.length; i++) {
    const [name, size] = UNITS[i]!;
    const count = seconds / size;
    if (Number.isInteger(count)) return `Durations are whole numbers; write ${count}${name} instead.`;
  }
  return 'Durations are whole numbers of seconds; round to a whole number, e.g. 1s.';
}

/**
 * Parses a duration into whole seconds. Accepts `60s`, `5m`, `1h`, `2d`, compounds with
 * units from largest to smallest (`1h30m`, `1d12h`), and bare whole numbers of seconds (`300` or
 * `'300'`); surrounding whitespace is ignored.
 * @throws DurationError with `offset` pointing into `value` (0 for numbers).
 */
export function parseDuration(value: string | number): Seconds {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`Duration ${value} is not a finite number.`, 0, UNIT_HINT);
    if (value < 0) fail(`Duration ${value} is negative; durations cannot be negative.`, 0, `Write ${-value} instead.`);
    if (!Number.isInteger(value)) fail(`Duration ${value} is not a whole number of seconds.`, 0, fractionHint(value, 3));
    if (value > MAX_DURATION_SECONDS) fail(`Duration ${value} is longer than 365 days.`, 0, LIMIT_HINT);
    return value + 0; // -0 → 0
  }
  const text = String(value);
  const first = text.search(/\S/);
  if (first < 0) fail('Duration is empty.', 0, UNIT_HINT);
  let i = first;
  const end = text.search(/\s*$/);
  const body = text.slice(i, end);
  const q = `"${body}"`;
  if (/^\d+$/.test(body)) {
    const n = Number(body);
    if (n > MAX_DURATION_SECONDS) fail(`Duration ${q} is longer than 365 days.`, i, LIMIT_HINT);
    return n;
  }
  if (text[i] === '-') fail(`Duration ${q} is negative; durations cannot be negative.`, i, `Write ${body.slice(1)} instead.`);
  let total = 0;
  let lastUnit = -1;
  while (i < end) {
    const start = i;
    while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === start) {
      const what = /[a-z]/i.test(text[i]!) ? `has the unit "${text[i]}" with no number before it` : `has an unexpected "${text[i]}"`;
      fail(`Duration ${q} ${what}.`, i, UNIT_HINT);
    }
    const digits = text.slice(start, i);
    if (text[i] === '.' && /\d/.test(text[i + 1] ?? '')) {
      const fracEnd = text.slice(i + 1, end).search(/\D|$/) + i + 1;
      const unitIndex = UNITS.findIndex(([u]) => u === text[fracEnd]);
      fail(`Duration ${q} has a fraction (${text.slice(start, fracEnd)}); durations are whole numbers.`, start,
        fractionHint(Number(text.slice(start, fracEnd)), unitIndex < 0 ? 3 : unitIndex));
    }
    if (i === end) {
      fail(`Duration ${q} ends with the number ${digits} but no unit.`, start, `Add a unit, e.g. ${digits}m or ${digits}s.`);
    }
    const unitStart = i;
    while (i < end && /[a-z]/i.test(text[i]!)) i++;
    const unit = text.slice(unitStart, i);
    const unitIndex = UNITS.findIndex(([u]) => u === unit);
    if (unit === '') fail(`Duration ${q} has an unexpected "${text[i]}" after ${digits}.`, unitStart, UNIT_HINT);
    if (unitIndex < 0) fail(`Duration ${q} has an unknown unit "${unit}".`, unitStart, UNIT_HINT);
    if (unitIndex === lastUnit) fail(`Duration ${q} repeats the unit "${unit}".`, start, 'Name each unit once, e.g. 1h30m.');
    if (unitIndex < lastUnit) {
      fail(`Duration ${q} has "${digits}${unit}" after a smaller unit; units must go from largest to smallest.`, start,
        'Order units d, h, m, s, e.g. 1h30m rather than 30m1h.');
    }
    lastUnit = unitIndex;
    total += Number(digits) * UNITS[unitIndex]![1];
  }
  if (total > MAX_DURATION_SECONDS) fail(`Duration ${q} is longer than 365 days.`, first, LIMIT_HINT);
  return total;
}

/**
 * Formats whole seconds the way durations are written, largest unit first:
 * `90` → `1m30s`, `3600` → `1h`, `0` → `0s`. `parseDuration(formatDuration(n)) === n`.
 * @throws RangeError when `seconds` is not a non-negative whole number.
 */
export function formatDuration(seconds: Seconds): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new RangeError(`not a duration in whole seconds: ${seconds}`);
  if (seconds === 0) return '0s';
  let out = '';
  let rest = seconds;
  for (const [name, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) out += `${count}${name}`;
    rest -= count * size;
  }
  return out;
}
