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
import { z } from 'zod';
import { areSet, describeProblems, httpUrl, readEnv, requireSet, wholeNumber } from '../../kit/index.js';
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

const SWITCHES = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_API_URL', 'SLACK_CHANNEL', 'SLACK_CHANNEL_MAP'];

/** Parses `group=C123,group2=C456`. */
export function parseChannelMap(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [group, channel, extra] = part.split('=').map((s) => s.trim());
    if (!group || !channel || extra !== undefined) throw new SlackIntegrationError(SlackErrorCode.ConfigInvalid, `SLACK_CHANNEL_MAP: "${part}" is not group=CHANNEL_ID`);
    out[group] = channel;
  }
  return out;
}

const channelMap = z.string().transform((raw, ctx) => {
  try {
    return parseChannelMap(raw);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^SLACK_CHANNEL_MAP: /, '') });
    return z.NEVER;
  }
});

const schema = (present: readonly string[]) =>
  z
    .object({
      SLACK_BOT_TOKEN: z.string().optional(),
      SLACK_SIGNING_SECRET: z.string().optional(),
      SLACK_APP_TOKEN: z.string().optional(),
      SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
      SLACK_CHANNEL: z.string().optional(),
      SLACK_CHANNEL_MAP: channelMap.default({}),
      SLACK_POST_INTERVAL_MS: wholeNumber('a whole number of milliseconds').default(1000),
    })
    .superRefine((v, ctx) => {
      const unsetOthers = ': set it or unset the other SLACK_* variables';
      if (!v.SLACK_BOT_TOKEN) requireSet(ctx, 'SLACK_BOT_TOKEN', `${areSet(present)}${unsetOthers}`);
      if (!v.SLACK_APP_TOKEN && !v.SLACK_SIGNING_SECRET) {
        requireSet(ctx, 'SLACK_SIGNING_SECRET', `${areSet(present)} (HTTP mode verifies every click with it; set SLACK_APP_TOKEN for Socket Mode)${unsetOthers}`);
      }
      if (!v.SLACK_CHANNEL && Object.keys(v.SLACK_CHANNEL_MAP).length === 0) {
        requireSet(ctx, 'SLACK_CHANNEL', `${areSet(present)} and no SLACK_CHANNEL_MAP says where cards go${unsetOthers}`);
      }
    })
    .transform(
      (v): SlackConfig => ({
        botToken: v.SLACK_BOT_TOKEN!,
        mode: v.SLACK_APP_TOKEN ? 'socket' : 'http',
        signingSecret: v.SLACK_SIGNING_SECRET ?? null,
        appToken: v.SLACK_APP_TOKEN ?? null,
        apiUrl: v.SLACK_API_URL.endsWith('/') ? v.SLACK_API_URL : `${v.SLACK_API_URL}/`,
        defaultChannel: v.SLACK_CHANNEL ?? null,
        channelByGroup: v.SLACK_CHANNEL_MAP,
        postIntervalMs: v.SLACK_POST_INTERVAL_MS,
      }),
    );

/** The Slack settings, or null when no Slack variable is set. @throws {SlackIntegrationError} */
export function readSlackConfig(env: Readonly<Record<string, string | undefined>>): SlackConfig | null {
  return readEnv(env, {
    variables: [...SWITCHES, 'SLACK_POST_INTERVAL_MS'],
    switches: SWITCHES,
    schema,
    fail: (problems) =>
      new SlackIntegrationError(problems.some((p) => p.kind === 'missing') ? SlackErrorCode.ConfigMissing : SlackErrorCode.ConfigInvalid, describeProblems(problems)),
  });
}

/** The channel a card goes to: the first approver group with a mapping, else the default. */
export function channelFor(config: Pick<SlackConfig, 'defaultChannel' | 'channelByGroup'>, groups: readonly string[]): string | null {
  for (const g of groups) {
    const c = config.channelByGroup[g];
    if (c) return c;
  }
  return config.defaultChannel;
}
