/**
 * Durations in policies: the format of core/duration.ts, its errors reported as policy errors
 * (`bad-duration`, positioned by `offset` inside the value).
 */
import { DurationError, parseDuration as parse, type Seconds } from '../core/duration.js';
import { PolicyError, PolicyErrorCode } from './errors.js';

export { formatDuration, MAX_DURATION_SECONDS, type Seconds } from '../core/duration.js';

/**
 * Parses a policy duration into whole seconds (see core/duration.ts for the format).
 * @throws PolicyError `bad-duration`, with `offset` pointing into `value` (0 for numbers).
 */
export function parseDuration(value: string | number): Seconds {
  try {
    return parse(value);
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    throw new PolicyError(PolicyErrorCode.BadDuration, error.message, { offset: error.offset, hint: error.hint });
  }
}
