/**
 * Errors the Teams integration throws (the kit's channel errors). Config errors stop the service
 * at start and are final; channel errors are retryable: the activity retries and, after its
 * retries, the workflow falls back to the built-in web channel. Never rename a code.
 */
import { channelErrors } from '../../kit/index.js';

const teams = channelErrors('teams', {
  retryable: {
    /** No conversation is linked for the card's approver groups (send `link <group>` to the bot). */
    NotLinked: 'teams-not-linked',
    /** The Bot Connector refused or could not be reached. */
    ConnectorFailed: 'teams-connector-failed',
    /** A ChannelRef this integration did not write. */
    BadRef: 'teams-bad-ref',
  },
});
export const TeamsErrorCode = { ...teams.codes.Final, ...teams.codes.Retryable } as const;

/** An error with a stable code; messages never contain secrets. */
export class TeamsIntegrationError extends teams.ChannelError {}
