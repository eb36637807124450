import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_DURATION_SECONDS, parseDuration } from '../../triggers/duration.js';
import { PolicyError } from '../../triggers/errors.js';

const UNIT_HINT = 'Use a whole number followed by s (seconds), m (minutes), h (hours) or d (days), e.g. 30s, 5m, 1h30m or 2d.';

describe('parseDuration', () => {
  it.each([
    ['60s', 60], ['5m', 300], ['1h', 3600], ['2d', 172_800], ['1h30m', 5400], ['1d2h3m4s', 93_784],
    ['0s', 0], ['05m', 300], ['300', 300], ['0', 0], ['  30s\n', 30], ['\t1h ', 3600], ['365d', MAX_DURATION_SECONDS],
    [90, 90], [0, 0], [-0, 0], [MAX_DURATION_SECONDS, MAX_DURATION_SECONDS],
  ] as const)('%j → %d seconds', (input, seconds) => {
    expect(Object.is(parseDuration(input), seconds)).toBe(true);
  });

  it.each([
    ['60x', 2, 'Duration "60x" has an unknown unit "x".', UNIT_HINT],
    ['60sec', 2, 'Duration "60sec" has an unknown unit "sec".', UNIT_HINT],
    ['5M', 1, 'Duration "5M" has an unknown unit "M".', UNIT_HINT],
    ['-5s', 0, 'Duration "-5s" is negative; durations cannot be negative.', 'Write 5s instead.'],
    ['  -5s', 2, 'Duration "-5s" is negative; durations cannot be negative.', 'Write 5s instead.'],
    ['1.5h', 0, 'Duration "1.5h" has a fraction (1.5); durations are whole numbers.', 'Durations are whole numbers; write 90m instead.'],
    ['1h0.5m', 2, 'Duration "1h0.5m" has a fraction (0.5); durations are whole numbers.', 'Durations are whole numbers; write 30s instead.'],
    ['', 0, 'Duration is empty.', UNIT_HINT],
    ['   ', 0, 'Duration is empty.', UNIT_HINT],
    ['5abc', 1, 'Duration "5abc" has an unknown unit "abc".', UNIT_HINT],
    ['5m!', 2, 'Duration "5m!" has an unexpected "!".', UNIT_HINT],
    ['5 m', 1, 'Duration "5 m" has an unexpected " " after 5.', UNIT_HINT],
    ['h', 0, 'Duration "h" has the unit "h" with no number before it.', UNIT_HINT],
    ['1h30', 2, 'Duration "1h30" ends with the number 30 but no unit.', 'Add a unit, e.g. 30m or 30s.'],
    ['5m1h', 2, 'Duration "5m1h" has "1h" after a smaller unit; units must go from largest to smallest.',
      'Order units d, h, m, s, e.g. 1h30m rather than 30m1h.'],
    ['1h1h', 2, 'Duration "1h1h" repeats the unit "h".', 'Name each unit once, e.g. 1h30m.'],
    ['366d', 0, 'Duration "366d" is longer than 365 days.', 'Durations can be at most 365d (31536000 seconds).'],
    [' 365d1s', 1, 'Duration "365d1s" is longer than 365 days.', 'Durations can be at most 365d (31536000 seconds).'],
    ['99999999999999999999999', 0, 'Duration "99999999999999999999999" is longer than 365 days.', 'Durations can be at most 365d (31536000 seconds).'],
    [1.5, 0, 'Duration 1.5 is not a whole number of seconds.', 'Durations are whole numbers of seconds; round to a whole number, e.g. 1s.'],
    [-1, 0, 'Duration -1 is negative; durations cannot be negative.', 'Write 1 instead.'],
    [Number.NaN, 0, 'Duration NaN is not a finite number.', UNIT_HINT],
    [Number.POSITIVE_INFINITY, 0, 'Duration Infinity is not a finite number.', UNIT_HINT],
    [MAX_DURATION_SECONDS + 1, 0, 'Duration 31536001 is longer than 365 days.', 'Durations can be at most 365d (31536000 seconds).'],
  ] as const)('%j fails at offset %d', (input, offset, message, hint) => {
    let caught: unknown;
    try {
      parseDuration(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolicyError);
    expect(caught).toMatchObject({ code: 'bad-duration', offset, message, hint });
  });
});

describe('formatDuration', () => {
  it.each([[90, '1m30s'], [3600, '1h'], [0, '0s'], [59, '59s'], [86_400 + 61, '1d1m1s'], [MAX_DURATION_SECONDS, '365d']])(
    '%d → %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));

  it.each([-1, 1.5, Number.NaN])('rejects %d', (n) => expect(() => formatDuration(n)).toThrow(RangeError));

  it('round-trips through parseDuration', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_DURATION_SECONDS }), (n) => parseDuration(formatDuration(n)) === n));
  });
});
