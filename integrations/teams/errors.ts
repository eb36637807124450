/**
 * Errors the Teams integration throws, each with a stable `code` (never rename one). Config errors
 * stop the service at start; channel errors make the activity retry and, after its retries, the
 * workflow fall back to the built-in web channel.
 */
export const TeamsErrorCode = {
  /** A required variable is missing while another Teams variable is set. */
  ConfigMissing: 'teams-config-missing',
  /** A variable is set to a value that cannot be used. */
  ConfigInvalid: 'teams-config-invalid',
  /** No conversation is linked for the card's approver groups (send `link <group>` to the bot). */
  NotLinked: 'teams-not-linked',
  /** The Bot Connector refused or could not be reached. */
  ConnectorFailed: 'teams-connector-failed',
  /** A ChannelRef this integration did not write. */
  BadRef: 'teams-bad-ref',
} as const;
export type TeamsErrorCode = (typeof TeamsErrorCode)[keyof typeof TeamsErrorCode];

/** An error with a stable {@link TeamsErrorCode}; messages never contain secrets. */
export class TeamsIntegrationError extends Error {
  override readonly name = 'TeamsIntegrationError';
  constructor(
    readonly code: TeamsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
