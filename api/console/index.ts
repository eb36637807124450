/**
 * api/console: the web console, served by the API process on its port. Approvers sign in (a token
 * on the embedded default; OpenID Connect in production), see the requests they may decide, and
 * decide them through the same service every channel uses. Pages are rendered here; the browser
 * script (console/web) adds live updates over Server-Sent Events, countdowns and the deny dialog.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Approver, Freeze } from '../../core/index.js';
import type { Logger } from '../../infra/logger.js';
import type { ActionsService } from '../actions/service.js';
import type { Authenticator } from '../auth.js';
import type { Playground } from '../policy/playground.js';
import { loadAssets } from './assets.js';
import { OidcSignIn, type OidcSettings } from './oidc.js';
import { ConsoleFeed } from './feed.js';
import { consoleRoutes } from './routes.js';
import { Sessions } from './session.js';

export { ConsoleFeed, type FeedEvent } from './feed.js';
export { Sessions, SESSION_COOKIE, SESSION_TTL_MS, SignInMethod, type Session } from './session.js';
export { html, escapeHtml, Html } from './html.js';
export { OidcSignIn, OidcSignInError, type OidcSettings } from './oidc.js';

export interface ConsoleOptions {
  actions: ActionsService;
  auth: Authenticator;
  approvers: readonly Approver[];
  blueprints: () => readonly string[];
  playground: Playground;
  logger: Logger;
  now: () => number;
  /** COUNTERSIGN_SESSION_SECRET; unset: a random one for this process (sessions end at restart). */
  sessionSecret?: string | undefined;
  /** COUNTERSIGN_PUBLIC_URL: an https URL makes the session cookie `Secure`. */
  publicUrl?: string | undefined;
  /** COUNTERSIGN_OIDC_*: sign-in through this provider instead of approver tokens. */
  oidc?: OidcSettings | null | undefined;
  /** The kill switch's list as this process knows it, shown on the inbox. */
  freezes?: () => readonly Freeze[];
  /** `<dataDir>/audit.jsonl` when this process runs a worker (the auditors' view reads it). */
  auditFile?: string | null | undefined;
  /** How often the change feed polls visibility while a console is open (default 500 ms). */
  feedIntervalMs?: number;
}

export interface Console {
  feed: ConsoleFeed;
  sessions: Sessions;
}

/** Mounts the console on `app` (call before `listen`). */
export function registerConsole(app: FastifyInstance, o: ConsoleOptions): Console {
  const secret = o.sessionSecret ? Buffer.from(o.sessionSecret, 'utf8') : randomBytes(32);
  const sessions = new Sessions(secret, o.now);
  const feed = new ConsoleFeed({ poll: () => o.actions.pendingMarks(), logger: o.logger, ...(o.feedIntervalMs ? { intervalMs: o.feedIntervalMs } : {}) });
  const assets = loadAssets();
  if (assets === null) o.logger.error('console assets are not built (dist/console/web): run `npm run build`; pages load without script and style');
  void app.register(async (scope) =>
    consoleRoutes(scope, {
      actions: o.actions,
      auth: o.auth,
      approvers: o.approvers,
      blueprints: o.blueprints,
      playground: o.playground,
      sessions,
      feed,
      assets,
      logger: o.logger,
      now: o.now,
      secure: o.publicUrl?.startsWith('https:') ?? false,
      publicUrl: o.publicUrl,
      oidc: o.oidc ? new OidcSignIn(o.oidc, secret, o.now) : null,
      auditFile: o.auditFile ?? null,
      freezes: o.freezes ?? (() => []),
    }),
  );
  app.addHook('onClose', async () => feed.stop());
  return { feed, sessions };
}
