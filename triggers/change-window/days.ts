/** The `<days>` part of a change window: `tue-thu`, `fri-mon`, `mon,wed,fri`, `mon-wed,fri`, `daily`, `*`. */
import { distance } from '../did-you-mean.js';
import { windowError } from './error.js';

/** Index = `Date#getUTCDay()` (0 = Sunday). */
const SHORT = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const LONG = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
/** Bit `d` set for every weekday `d`. */
export const EVERY_DAY = 0x7f;
const HINT = 'Days are mon, tue, wed, thu, fri, sat, sun (full names work too), as a range like tue-thu or fri-mon, '
  + 'a list like mon,wed,fri or mon-wed,fri, or daily (or *) for every day.';

/** The closest day name to a misspelling, if any is close enough to be a plausible typo. */
function suggest(word: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (let d = 0; d < 7; d++) {
    const dist = Math.min(distance(word, SHORT[d]!), distance(word, LONG[d]!));
    if (dist < bestDistance && dist < word.length) [best, bestDistance] = [SHORT[d], dist];
  }
  return best;
}

function day(name: string, at: number, q: string): number {
  const lower = name.toLowerCase();
  const found = Math.max((SHORT as readonly string[]).indexOf(lower), (LONG as readonly string[]).indexOf(lower));
  if (found >= 0) return found;
  if (name === '') return day0(at, q);
  if (lower === 'daily' || lower === '*') {
    throw windowError(`${q} combines "${name}" with other days.`, at, `Write ${lower} on its own for every day.`);
  }
  const guess = suggest(lower);
  throw windowError(`${q} has an unknown day "${name}".`, at, (guess ? `Did you mean ${guess}? ` : '') + HINT);
}

function day0(at: number, q: string): never {
  throw windowError(`${q} has a missing day in its day list.`, at, HINT);
}

/**
 * Parses the days part, `text` starting at `at` in the source, into a bitmask (bit 0 = Sunday).
 * @throws PolicyError `bad-change-window`
 */
export function parseDays(text: string, at: number, q: string): number {
  const lower = text.toLowerCase();
  if (lower === 'daily' || lower === '*') return EVERY_DAY;
  let mask = 0;
  let itemAt = at;
  for (const item of text.split(',')) {
    const dash = item.indexOf('-');
    if (item === '') day0(itemAt, q);
    if (dash < 0) {
      mask |= 1 << day(item, itemAt, q);
    } else {
      const from = day(item.slice(0, dash), itemAt, q);
      const to = day(item.slice(dash + 1), itemAt + dash + 1, q);
      if (from === to) {
        throw windowError(`${q} has the day range "${item}", which starts and ends on the same day.`, itemAt,
          `Write ${SHORT[from]} for that day alone, or daily for every day.`);
      }
      for (let d = from; ; d = (d + 1) % 7) {
        mask |= 1 << d;
        if (d === to) break;
      }
    }
    itemAt += item.length + 1;
  }
  return mask;
}
