import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChangeWindow } from '../../triggers/change-window/index.js';
import { PolicyError } from '../../triggers/errors.js';

const t = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test time ${iso}`);
  return ms;
};
/** Rows of [window, instant (ISO, UTC unless an offset is given), expected]. */
type Row = readonly [string, string, boolean];
const check = (rows: readonly Row[]) =>
  it.each(rows)('%s at %s → %s', (source, iso, inside) => expect(parseChangeWindow(source).contains(t(iso))).toBe(inside));

describe('parseChangeWindow: UTC', () => {
  const blueprint = 'tue-thu/09:00-17:00/UTC'; // 2024-06-04 is a Tuesday
  check([
    [blueprint, '2024-06-04T09:00Z', true], [blueprint, '2024-06-04T08:59:59.999Z', false],
    [blueprint, '2024-06-05T12:00Z', true], [blueprint, '2024-06-06T16:59Z', true], [blueprint, '2024-06-06T17:00Z', false],
    [blueprint, '2024-06-08T10:00Z', false], [blueprint, '2024-06-03T10:00Z', false], [blueprint, '2024-06-07T10:00Z', false],
    ['mon,wed,fri/09:00-17:00/UTC', '2024-06-03T10:00Z', true], ['mon,wed,fri/09:00-17:00/UTC', '2024-06-04T10:00Z', false],
    ['mon,wed,fri/09:00-17:00/UTC', '2024-06-05T10:00Z', true], ['mon,wed,fri/09:00-17:00/UTC', '2024-06-07T10:00Z', true],
    ['mon-wed,fri/09:00-17:00/UTC', '2024-06-05T10:00Z', true], ['mon-wed,fri/09:00-17:00/UTC', '2024-06-06T10:00Z', false],
    ['mon-wed,fri/09:00-17:00/UTC', '2024-06-07T10:00Z', true],
    ['fri-mon/09:00-17:00/UTC', '2024-06-07T10:00Z', true], ['fri-mon/09:00-17:00/UTC', '2024-06-09T10:00Z', true],
    ['fri-mon/09:00-17:00/UTC', '2024-06-10T10:00Z', true], ['fri-mon/09:00-17:00/UTC', '2024-06-11T10:00Z', false],
    ['fri-mon/09:00-17:00/UTC', '2024-06-06T10:00Z', false],
    ['Tuesday-THURSDAY/09:00-17:00/utc', '2024-06-05T10:00Z', true], ['daily/00:00-24:00/UTC', '2024-06-09T23:59:59Z', true],
    ['*/12:00-13:00/Etc/UTC', '2024-06-09T12:30Z', true], ['daily/12:00-13:00/UTC', '2024-06-09T13:00Z', false],
    ['sat/22:00-24:00/UTC', '2024-06-08T23:59Z', true], ['sat/22:00-24:00/UTC', '2024-06-09T00:00Z', false],
    // Overnight: opens on each listed day, closes the next morning.
    ['fri/22:00-06:00/UTC', '2024-06-07T22:00Z', true], ['fri/22:00-06:00/UTC', '2024-06-07T21:59Z', false],
    ['fri/22:00-06:00/UTC', '2024-06-08T05:59Z', true], ['fri/22:00-06:00/UTC', '2024-06-08T06:00Z', false],
    ['fri/22:00-06:00/UTC', '2024-06-08T22:30Z', false], ['fri/22:00-06:00/UTC', '2024-06-07T05:00Z', false],
    ['sat/22:00-06:00/UTC', '2024-06-09T05:00Z', true], ['sun/22:00-06:00/UTC', '2024-06-10T05:00Z', true],
    // Before 1970 and far from it.
    [blueprint, '1969-12-30T10:00Z', true], [blueprint, '1969-12-31T17:00Z', false], ['daily/00:00-24:00/UTC', '+275760-09-13T00:00Z', true],
  ]);

  it('keeps the source and reports the canonical zone', () => {
    expect(parseChangeWindow(' tue-thu/09:00-17:00/utc ')).toMatchObject({ source: ' tue-thu/09:00-17:00/utc ', zone: 'UTC' });
    expect(parseChangeWindow('daily/09:00-17:00/europe/berlin').zone).toBe('Europe/Berlin');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 8.64e15 + 1, -9e15])('is false, not an error, for %d', (ms) => {
    expect(parseChangeWindow('daily/00:00-24:00/UTC').contains(ms)).toBe(false);
    expect(parseChangeWindow('daily/00:00-24:00/Europe/Berlin').contains(ms)).toBe(false);
  });
});

describe('parseChangeWindow: local wall-clock time', () => {
  const berlin = 'tue/09:00-17:00/Europe/Berlin';
  const ny = 'tue/09:00-17:00/America/New_York';
  check([
    [berlin, '2024-07-02T07:00Z', true], [berlin, '2024-07-02T06:59Z', false], [berlin, '2024-07-02T14:59Z', true],
    [berlin, '2024-07-02T15:00Z', false], [berlin, '2024-01-09T08:00Z', true], [berlin, '2024-01-09T07:30Z', false],
    [berlin, '2024-01-09T15:59Z', true], [berlin, '2024-01-09T16:00Z', false],
    [ny, '2024-07-02T13:00Z', true], [ny, '2024-07-02T12:59Z', false], [ny, '2024-01-09T14:00Z', true], [ny, '2024-01-09T13:30Z', false],
    // Weekday is the local one: Tue 00:30 in Berlin is still Monday in UTC.
    ['tue/00:00-01:00/Europe/Berlin', '2024-07-01T22:30Z', true], ['tue/00:00-01:00/Europe/Berlin', '2024-07-02T22:30Z', false],
  ]);
});

describe('parseChangeWindow: DST changes', () => {
  check([
    // Berlin spring forward 2024-03-31 01:00Z: 02:00 CET → 03:00 CEST. 01:30-03:30 local lasts one real hour.
    ['sun/01:30-03:30/Europe/Berlin', '2024-03-31T00:29Z', false], ['sun/01:30-03:30/Europe/Berlin', '2024-03-31T00:30Z', true],
    ['sun/01:30-03:30/Europe/Berlin', '2024-03-31T00:59:59.999Z', true], ['sun/01:30-03:30/Europe/Berlin', '2024-03-31T01:00Z', true],
    ['sun/01:30-03:30/Europe/Berlin', '2024-03-31T01:29Z', true], ['sun/01:30-03:30/Europe/Berlin', '2024-03-31T01:30Z', false],
    // Berlin fall back 2024-10-27 01:00Z: 03:00 CEST → 02:00 CET. 02:00-02:30 local happens twice; both count.
    ['sun/02:00-02:30/Europe/Berlin', '2024-10-26T23:59Z', false], ['sun/02:00-02:30/Europe/Berlin', '2024-10-27T00:00Z', true],
    ['sun/02:00-02:30/Europe/Berlin', '2024-10-27T00:29Z', true], ['sun/02:00-02:30/Europe/Berlin', '2024-10-27T00:30Z', false],
    ['sun/02:00-02:30/Europe/Berlin', '2024-10-27T01:00Z', true], ['sun/02:00-02:30/Europe/Berlin', '2024-10-27T01:29:59Z', true],
    ['sun/02:00-02:30/Europe/Berlin', '2024-10-27T01:30Z', false],
    // A window spanning the repeated hour lasts one real hour longer: 01:00 CEST (23:00Z) to 04:00 CET (03:00Z).
    ['sun/01:00-04:00/Europe/Berlin', '2024-10-26T22:59Z', false], ['sun/01:00-04:00/Europe/Berlin', '2024-10-26T23:00Z', true],
    ['sun/01:00-04:00/Europe/Berlin', '2024-10-27T02:59Z', true], ['sun/01:00-04:00/Europe/Berlin', '2024-10-27T03:00Z', false],
    // New York spring forward 2024-03-10 07:00Z: 02:00 EST → 03:00 EDT.
    ['sun/01:30-03:30/America/New_York', '2024-03-10T06:29Z', false], ['sun/01:30-03:30/America/New_York', '2024-03-10T06:30Z', true],
    ['sun/01:30-03:30/America/New_York', '2024-03-10T07:00Z', true], ['sun/01:30-03:30/America/New_York', '2024-03-10T07:29Z', true],
    ['sun/01:30-03:30/America/New_York', '2024-03-10T07:30Z', false],
    // New York fall back 2024-11-03 06:00Z: 02:00 EDT → 01:00 EST; 01:00-01:30 local happens twice.
    ['sun/01:00-01:30/America/New_York', '2024-11-03T04:59Z', false], ['sun/01:00-01:30/America/New_York', '2024-11-03T05:00Z', true],
    ['sun/01:00-01:30/America/New_York', '2024-11-03T05:30Z', false], ['sun/01:00-01:30/America/New_York', '2024-11-03T06:00Z', true],
    ['sun/01:00-01:30/America/New_York', '2024-11-03T06:29Z', true], ['sun/01:00-01:30/America/New_York', '2024-11-03T06:30Z', false],
  ]);

  it('never opens a window that lies inside the spring-forward gap', () => {
    const w = parseChangeWindow('sun/02:15-02:45/Europe/Berlin');
    for (let ms = t('2024-03-30T22:00Z'); ms < t('2024-03-31T04:00Z'); ms += 60_000) expect(w.contains(ms)).toBe(false);
    expect(w.contains(t('2024-04-07T00:15Z'))).toBe(true); // a week later, 02:15 CEST
  });
});

const TIME_HINT = 'Write the hours as HH:MM-HH:MM on a 24-hour clock, e.g. 09:00-17:00, or 22:00-06:00 for overnight.';
const FORMAT_HINT = 'Write days/HH:MM-HH:MM/zone, e.g. tue-thu/09:00-17:00/UTC.';
const DAYS_HINT = 'Days are mon, tue, wed, thu, fri, sat, sun (full names work too), as a range like tue-thu or fri-mon, '
  + 'a list like mon,wed,fri or mon-wed,fri, or daily (or *) for every day.';
const ZONE_HINT = 'Use an IANA time-zone name such as Europe/Berlin, America/New_York or UTC.';

describe('parseChangeWindow: errors', () => {
  it.each([
    ['tue-thu/25:00-17:00/UTC', 8, 'Change window "tue-thu/25:00-17:00/UTC" has the start time 25:00, but hours go from 00 to 23.', TIME_HINT],
    ['tue-thu/09:60-17:00/UTC', 11, 'Change window "tue-thu/09:60-17:00/UTC" has the start time 09:60, but minutes go from 00 to 59.', TIME_HINT],
    ['tue-thu/09:00-17:99/UTC', 17, 'Change window "tue-thu/09:00-17:99/UTC" has the end time 17:99, but minutes go from 00 to 59.', TIME_HINT],
    ['tue-thu/9-17/UTC', 8, 'Change window "tue-thu/9-17/UTC" has the start time "9", which is not written as HH:MM.', TIME_HINT],
    ['tue-thu/0900-1700/UTC', 8, 'Change window "tue-thu/0900-1700/UTC" has the start time "0900", which is not written as HH:MM.', TIME_HINT],
    ['tue-thu/09:00/UTC', 8, 'Change window "tue-thu/09:00/UTC" has the hours "09:00", which are not a range.', TIME_HINT],
    ['tue-thu/09:00-/UTC', 14, 'Change window "tue-thu/09:00-/UTC" has no end time.', TIME_HINT],
    ['mon/24:00-06:00/UTC', 4, 'Change window "mon/24:00-06:00/UTC" has the start time 24:00; 24:00 is only allowed as an end time (midnight).', 'Write 00:00 to open at midnight.'],
    ['mon/22:00-24:30/UTC', 10, 'Change window "mon/22:00-24:30/UTC" has the end time 24:30; 24:00 is only allowed as an end time (midnight).', 'Write 24:00 to close at midnight.'],
    ['mon/09:00-09:00/UTC', 4, 'Change window "mon/09:00-09:00/UTC" opens and closes at the same time (09:00-09:00), so it is unclear whether it is always open or never open.', 'For a window open all day write 00:00-24:00; otherwise give different times.'],
    ['tux-thu/09:00-17:00/UTC', 0, 'Change window "tux-thu/09:00-17:00/UTC" has an unknown day "tux".', `Did you mean tue? ${DAYS_HINT}`],
    ['tue-thurs/09:00-17:00/UTC', 4, 'Change window "tue-thurs/09:00-17:00/UTC" has an unknown day "thurs".', `Did you mean thu? ${DAYS_HINT}`],
    ['mon,xyz/09:00-17:00/UTC', 4, 'Change window "mon,xyz/09:00-17:00/UTC" has an unknown day "xyz".', DAYS_HINT],
    ['mon,,wed/09:00-17:00/UTC', 4, 'Change window "mon,,wed/09:00-17:00/UTC" has a missing day in its day list.', DAYS_HINT],
    ['mon-/09:00-17:00/UTC', 4, 'Change window "mon-/09:00-17:00/UTC" has a missing day in its day list.', DAYS_HINT],
    ['mon-mon/09:00-17:00/UTC', 0, 'Change window "mon-mon/09:00-17:00/UTC" has the day range "mon-mon", which starts and ends on the same day.', 'Write mon for that day alone, or daily for every day.'],
    ['mon,daily/09:00-17:00/UTC', 4, 'Change window "mon,daily/09:00-17:00/UTC" combines "daily" with other days.', 'Write daily on its own for every day.'],
    ['tue-thu/09:00-17:00', 19, 'Change window "tue-thu/09:00-17:00" has no time zone.', 'Add the zone after a "/", e.g. tue-thu/09:00-17:00/UTC or tue-thu/09:00-17:00/Europe/Berlin.'],
    ['tue-thu/09:00-17:00/', 20, 'Change window "tue-thu/09:00-17:00/" has no time zone.', 'Add the zone after a "/", e.g. tue-thu/09:00-17:00/UTC or tue-thu/09:00-17:00/Europe/Berlin.'],
    ['tue-thu', 7, 'Change window "tue-thu" has no hours or time zone.', 'Add them, e.g. tue-thu/09:00-17:00/UTC.'],
    ['/09:00-17:00/UTC', 0, 'Change window "/09:00-17:00/UTC" has no days before the first "/".', FORMAT_HINT],
    ['09:00-17:00/UTC', 0, 'Change window "09:00-17:00/UTC" starts with hours; the days are missing.', 'Put the days first, e.g. daily/09:00-17:00/UTC.'],
    ['tue-thu/09:00-17:00/UTC/extra', 23, 'Change window "tue-thu/09:00-17:00/UTC/extra" has an extra part "extra" after the time zone UTC.', FORMAT_HINT],
    ['tue-thu/09:00-17:00/Europe/Berlin/x', 33, 'Change window "tue-thu/09:00-17:00/Europe/Berlin/x" has an extra part "x" after the time zone Europe/Berlin.', FORMAT_HINT],
    ['tue-thu/09:00-17:00/12:00-13:00/UTC', 20, 'Change window "tue-thu/09:00-17:00/12:00-13:00/UTC" has an extra part "12:00-13:00" before the time zone.', FORMAT_HINT],
    ['', 0, 'Change window is empty.', FORMAT_HINT],
    ['  \t', 0, 'Change window is empty.', FORMAT_HINT],
    ['  tux/09:00-17:00/UTC', 2, 'Change window "tux/09:00-17:00/UTC" has an unknown day "tux".', `Did you mean tue? ${DAYS_HINT}`],
  ] as const)('%j → bad-change-window at %d', (source, offset, message, hint) => {
    expectError(source, 'bad-change-window', offset, message, hint);
  });

  it.each([
    ['tue-thu/09:00-17:00/Mars/Olympus', 20, 'Change window "tue-thu/09:00-17:00/Mars/Olympus" names an unknown time zone "Mars/Olympus".'],
    ['daily/09:00-17:00/Europe/Berlln', 18, 'Change window "daily/09:00-17:00/Europe/Berlln" names an unknown time zone "Europe/Berlln".'],
    ['daily/09:00-17:00/CEST', 18, 'Change window "daily/09:00-17:00/CEST" names an unknown time zone "CEST".'],
  ] as const)('%j → unknown-time-zone at %d', (source, offset, message) => {
    expectError(source, 'unknown-time-zone', offset, message, ZONE_HINT);
  });
});

function expectError(source: string, code: string, offset: number, message: string, hint: string): void {
  let caught: unknown;
  try {
    parseChangeWindow(source);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PolicyError);
  expect(caught).toMatchObject({ code, offset, message, hint });
}

const NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
/** A valid window: a non-empty day list, distinct start/end minutes, one of `zones`. */
const windowArb = (zones: readonly string[]) =>
  fc.record({
    days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    start: fc.integer({ min: 0, max: 1439 }),
    end: fc.integer({ min: 1, max: 1440 }),
    zone: fc.constantFrom(...zones),
  }).filter((w) => w.start !== w.end).map((w) => ({ ...w, source: `${w.days.map((d) => NAMES[d]).join(',')}/${hhmm(w.start)}-${hhmm(w.end)}/${w.zone}` }));

/** Reference: is local weekday `wd` at local minute `m` inside the window? */
const naive = (w: { days: number[]; start: number; end: number }, wd: number, m: number): boolean =>
  w.start < w.end
    ? w.days.includes(wd) && m >= w.start && m < w.end
    : (w.days.includes(wd) && m >= w.start) || (w.days.includes((wd + 6) % 7) && m < w.end);

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns'];

describe('parseChangeWindow: properties', () => {
  it('contains never throws and returns a boolean for any integer epoch ms', () => {
    fc.assert(fc.property(windowArb(ZONES), fc.integer({ min: -9e15, max: 9e15 }), (w, ms) => {
      expect(typeof parseChangeWindow(w.source).contains(ms)).toBe('boolean');
    }), { numRuns: 300 });
  });

  it('agrees with a naive getUTCDay/getUTCHours reference for UTC windows', () => {
    fc.assert(fc.property(windowArb(['UTC']), fc.integer({ min: -8.64e15, max: 8.64e15 }), (w, ms) => {
      const d = new Date(ms);
      expect(parseChangeWindow(w.source).contains(ms)).toBe(naive(w, d.getUTCDay(), d.getUTCHours() * 60 + d.getUTCMinutes()));
    }), { numRuns: 1000 });
  });

  const wallClock = (zone: string) => {
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    return (ms: number) => {
      const parts = Object.fromEntries(fmt.formatToParts(ms).map((p) => [p.type, p.value]));
      return { wd: NAMES.indexOf(parts.weekday!.toLowerCase()), m: Number(parts.hour) * 60 + Number(parts.minute) };
    };
  };

  it('agrees with an uncached Intl reference for zoned windows', () => {
    fc.assert(fc.property(windowArb(ZONES), fc.integer({ min: t('1900-01-01T00:00Z'), max: t('2100-01-01T00:00Z') }), (w, ms) => {
      const { wd, m } = wallClock(w.zone)(ms);
      expect(parseChangeWindow(w.source).contains(ms)).toBe(naive(w, wd, m));
    }), { numRuns: 500 });
  });

  it.each([
    ['daily/01:00-03:00/Europe/Berlin', '2024-03-30T20:00Z'], ['daily/01:00-03:00/Europe/Berlin', '2024-10-26T20:00Z'],
    ['daily/00:30-02:30/America/New_York', '2024-03-10T03:00Z'], ['daily/00:30-02:30/America/New_York', '2024-11-03T03:00Z'],
    ['daily/01:15-02:45/Australia/Lord_Howe', '2024-04-06T12:00Z'], ['daily/01:15-02:45/Australia/Lord_Howe', '2024-10-05T12:00Z'],
  ])('%s agrees with the reference minute by minute around %s, reusing one window', (source, from) => {
    const w = parseChangeWindow(source);
    const [, span] = source.split('/');
    const [start, end] = span!.split('-').map((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));
    const ref = wallClock(w.zone);
    for (let ms = t(from); ms < t(from) + 12 * 3_600_000; ms += 60_000 + 7) {
      const { wd, m } = ref(ms);
      expect(w.contains(ms), new Date(ms).toISOString()).toBe(naive({ days: [0, 1, 2, 3, 4, 5, 6], start: start!, end: end! }, wd, m));
    }
  });
});
