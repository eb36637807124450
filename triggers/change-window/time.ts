/** The `<HH:MM>-<HH:MM>` part of a change window, as minutes after local midnight. */
import { windowError } from './error.js';

const HINT = 'Write the hours as HH:MM-HH:MM on a 24-hour clock, e.g. 09:00-17:00, or 22:00-06:00 for overnight.';

/** Opening and closing minute of the local day; `end` is 1..1440 and `end < start` means overnight. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

function clock(text: string, at: number, q: string, isEnd: boolean): number {
  const which = isEnd ? 'end' : 'start';
  if (text === '') throw windowError(`${q} has no ${which} time.`, at, HINT);
  const m = /^(\d\d):(\d\d)$/.exec(text);
  if (m === null) throw windowError(`${q} has the ${which} time "${text}", which is not written as HH:MM.`, at, HINT);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 24) {
    throw windowError(`${q} has the ${which} time ${text}, but hours go from 00 to 23.`, at, HINT);
  }
  if (minute > 59) {
    throw windowError(`${q} has the ${which} time ${text}, but minutes go from 00 to 59.`, at + 3, HINT);
  }
  if (hour === 24 && (!isEnd || minute !== 0)) {
    throw windowError(`${q} has the ${which} time ${text}; 24:00 is only allowed as an end time (midnight).`, at,
      isEnd ? 'Write 24:00 to close at midnight.' : 'Write 00:00 to open at midnight.');
  }
  return hour * 60 + minute;
}

/**
 * Parses the hours part, `text` starting at `at` in the source.
 * @throws PolicyError `bad-change-window`
 */
export function parseSpan(text: string, at: number, q: string): Span {
  const dash = text.indexOf('-');
  if (dash < 0) {
    const what = text === '' ? 'has no hours' : `has the hours "${text}", which are not a range`;
    throw windowError(`${q} ${what}.`, at, HINT);
  }
  const start = clock(text.slice(0, dash), at, q, false);
  const end = clock(text.slice(dash + 1), at + dash + 1, q, true);
  if (start === end) {
    throw windowError(`${q} opens and closes at the same time (${text}), so it is unclear whether it is always `
      + 'open or never open.', at, 'For a window open all day write 00:00-24:00; otherwise give different times.');
  }
  return { start, end };
}
