/**
 * Building the Bolt app and the Web API client. One place knows Bolt's options: the Web API base
 * URL (`clientOptions.slackApiUrl`), 429s surfaced to our pacing instead of Bolt's 30-minute retry
 * schedule, our pino logger, and an `authorize` that runs `auth.test` once and caches the answer
 * (a failed check is retried on the next event instead of being cached).
 */
import { App, LogLevel, webApi, type Authorize, type Logger as BoltLogger, type Receiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SlackConfig } from './config.js';

/** Options every WebClient of this integration uses. */
export function clientOptions(config: SlackConfig): webApi.WebClientOptions {
  return {
    slackApiUrl: config.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
    timeout: 10_000,
  };
}

function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.WARN;
  return {
    debug: (...m) => logger.debug({ slack: true }, m.map(String).join(' ')),
    info: (...m) => logger.info({ slack: true }, m.map(String).join(' ')),
    warn: (...m) => logger.warn({ slack: true }, m.map(String).join(' ')),
    error: (...m) => logger.error({ slack: true }, m.map(String).join(' ')),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** `auth.test` once per process, cached on success. */
export function cachedAuthorize(web: webApi.WebClient, botToken: string): Authorize<boolean> {
  let pending: Promise<{ botId?: string; botUserId?: string; teamId?: string }> | null = null;
  return async () => {
    pending ??= web.auth.test().then(
      (r) => ({ botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }),
      (err: unknown) => {
        pending = null;
        throw err;
      },
    );
    const who = await pending;
    return { botToken, ...who };
  };
}

/** The Bolt app: HTTP mode on the given receiver, or Socket Mode when an app token is set. */
export function createBoltApp(config: SlackConfig, web: webApi.WebClient, logger: Logger, receiver: Receiver | null): App {
  const common = { authorize: cachedAuthorize(web, config.botToken), clientOptions: clientOptions(config), logger: boltLogger(logger), logLevel: LogLevel.WARN };
  if (config.mode === 'socket') return new App({ ...common, appToken: config.appToken ?? '', socketMode: true });
  return new App({ ...common, receiver: receiver ?? undefined });
}
