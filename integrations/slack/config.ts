/**
 * Slack settings from the environment. Nothing set → Slack is off. Anything set → everything the
 * chosen mode needs must be set, or {@link readSlackConfig} throws naming the variable.
 *
 * | variable | meaning |
 * |---|---|
 * | `SLACK_BOT_TOKEN` | bot token (`xoxb-…`), scopes `chat:write`, `users:read`, `users:read.email`, `usergroups:read` |
 * | `SLACK_SIGNING_SECRET` | verifies `/slack/events` (HTTP mode) |
 * | `SLACK_APP_TOKEN` | app-level token (`xapp-…`): turns on Socket Mode instead of HTTP |
 * | `SLACK_API_URL` | base URL of the Web API (default `https://slack.com/api/`), for proxies and tests |
 * | `SLACK_CHANNEL` | channel id cards go to when no group mapping matches |
 * | `SLACK_CHANNEL_MAP` | `group=C123,other-group=C456`: per approver group channel |
 * | `SLACK_POST_INTERVAL_MS` | minimum gap between two cards in one channel (default 1000) |
 */
import { SlackErrorCode, SlackIntegrationError } from './errors.js';

export interface SlackConfig {
  botToken: string;
  mode: 'http' | 'socket';
  signingSecret: string | null;
  appToken: string | null;
  /** Always ends with `/`. */
  apiUrl: string;
  defaultChannel: string | null;
  channelByGroup: Record<string, string>;
  postIntervalMs: number;
}

const VARS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_API_URL', 'SLACK_CHANNEL', 'SLACK_CHANNEL_MAP'] as const;

type Env = Readonly<Record<string, string | undefined>>;

function missing(name: string, why: string): SlackIntegrationError {
  return new SlackIntegrationError(SlackErrorCode.ConfigMissing, `${name} is not set but ${why}: set ${name} or unset the other SLACK_* variables`);
}

function invalid(name: string, why: string): SlackIntegrationError {
  return new SlackIntegrationError(SlackErrorCode.ConfigInvalid, `${name}: ${why}`);
}

/** Parses `group=C123,group2=C456`. */
export function parseChannelMap(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [group, channel, extra] = part.split('=').map((s) => s.trim());
    if (!group || !channel || extra !== undefined) throw invalid('SLACK_CHANNEL_MAP', `"${part}" is not group=CHANNEL_ID`);
    out[group] = channel;
  }
  return out;
}

/** The Slack settings, or null when no Slack variable is set. @throws {SlackIntegrationError} */
export function readSlackConfig(env: Env): SlackConfig | null {
  const get = (name: string): string | null => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const present = VARS.filter((name) => get(name) !== null);
  if (present.length === 0) return null;
  const why = `${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set`;
  const botToken = get('SLACK_BOT_TOKEN');
  if (!botToken) throw missing('SLACK_BOT_TOKEN', why);
  const appToken = get('SLACK_APP_TOKEN');
  const signingSecret = get('SLACK_SIGNING_SECRET');
  if (!appToken && !signingSecret) throw missing('SLACK_SIGNING_SECRET', `${why} (HTTP mode verifies every click with it; set SLACK_APP_TOKEN for Socket Mode)`);
  const defaultChannel = get('SLACK_CHANNEL');
  const channelByGroup = parseChannelMap(get('SLACK_CHANNEL_MAP') ?? '');
  if (!defaultChannel && Object.keys(channelByGroup).length === 0) throw missing('SLACK_CHANNEL', `${why} and no SLACK_CHANNEL_MAP says where cards go`);
  let apiUrl = get('SLACK_API_URL') ?? 'https://slack.com/api/';
  try {
    const u = new URL(apiUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw invalid('SLACK_API_URL', `"${apiUrl}" is not an http(s) URL`);
  }
  if (!apiUrl.endsWith('/')) apiUrl += '/';
  const interval = get('SLACK_POST_INTERVAL_MS') ?? '1000';
  if (!/^\d+$/.test(interval)) throw invalid('SLACK_POST_INTERVAL_MS', 'must be a whole number of milliseconds');
  return {
    botToken,
    mode: appToken ? 'socket' : 'http',
    signingSecret,
    appToken,
    apiUrl,
    defaultChannel,
    channelByGroup,
    postIntervalMs: Number(interval),
  };
}

/** The channel a card goes to: the first approver group with a mapping, else the default. */
export function channelFor(config: Pick<SlackConfig, 'defaultChannel' | 'channelByGroup'>, groups: readonly string[]): string | null {
  for (const g of groups) {
    const c = config.channelByGroup[g];
    if (c) return c;
  }
  return config.defaultChannel;
}
