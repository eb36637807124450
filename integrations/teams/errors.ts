/**
 * Errors the Teams integration throws, each with a stable `code` (never rename one). Config errors
 * stop the service at start and are final; channel errors are retryable: the activity retries
 * and, after its retries, the workflow falls back to the built-in web channel.
 */
import { CountersignError, errorCodes, type CodeOf } from '../../core/index.js';

const codes = errorCodes(
  {
    /** A required variable is missing while another Teams variable is set. */
    ConfigMissing: 'teams-config-missing',
    /** A variable is set to a value that cannot be used. */
    ConfigInvalid: 'teams-config-invalid',
  },
  {
    /** No conversation is linked for the card's approver groups (send `link <group>` to the bot). */
    NotLinked: 'teams-not-linked',
    /** The Bot Connector refused or could not be reached. */
    ConnectorFailed: 'teams-connector-failed',
    /** A ChannelRef this integration did not write. */
    BadRef: 'teams-bad-ref',
  },
);
export const TeamsErrorCode = { ...codes.Final, ...codes.Retryable } as const;
export type TeamsErrorCode = CodeOf<typeof codes>;

/** An error with a stable {@link TeamsErrorCode}; messages never contain secrets. */
export class TeamsIntegrationError extends CountersignError<TeamsErrorCode> {
  constructor(code: TeamsErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, finality: codes.finalityOf(code) });
  }
}
