/** Error construction shared by the change-window parser. */
import { PolicyError, PolicyErrorCode } from '../errors.js';

/** The general shape, for hints. */
export const FORMAT_HINT = 'Write days/HH:MM-HH:MM/zone, e.g. tue-thu/09:00-17:00/UTC.';

/** A `bad-change-window` (or `unknown-time-zone`) error at `offset` of the window's source string. */
export function windowError(
  message: string,
  offset: number,
  hint: string,
  code: PolicyErrorCode = PolicyErrorCode.BadChangeWindow,
): PolicyError {
  return new PolicyError(code, message, { offset, hint });
}
