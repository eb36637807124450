/** What `startService` takes and returns. */
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { App } from '../api/index.js';
import type { ChannelDefinition, Integration } from '../integrations/index.js';
import type { ServiceConfig } from '../infra/config/index.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import type { Health } from '../infra/health.js';
import type { PolicyStore } from '../infra/policies/index.js';
import type { SupervisedDevServer, SupervisorOptions } from '../infra/temporal/index.js';

export interface ServiceOptions {
  config: ServiceConfig;
  logger: Logger;
  /** Which parts run in this process (default: all). */
  worker?: boolean;
  api?: boolean;
  /**
   * Start an embedded `temporal server start-dev` on `<dataDir>/temporal.db` when
   * `config.temporalAddress` is unset (default true for `start`; `worker`/`api` pass false and then
   * connect to 127.0.0.1:7233).
   */
  embedded?: boolean;
  /** Embedded dev server gRPC port (default 7233; 0 = a free port). */
  temporalPort?: number;
  /** Embedded dev server UI port (default: headless). */
  temporalUiPort?: number;
  /** Where the Temporal CLI is looked for / installed (`<cwd>/.tools`); default process.cwd(). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Progress lines (Temporal CLI install, startup). */
  onProgress?: (line: string) => void;
  taskQueue?: string;
  /** Policy clock (epoch ms); tests pin it. */
  now?: () => number;
  metrics?: Metrics;
  /** The channel registry (default integrations/channels): policy channel names and which channels load. */
  channels?: readonly ChannelDefinition[];
  /** Integrations to run instead of loading the front doors and `channels` whose environment variables are set. */
  integrations?: Integration[];
  /** How the embedded dev server is kept alive (backoff, how many exits end it); tests shorten it. */
  supervision?: Pick<SupervisorOptions, 'initialBackoffMs' | 'maxBackoffMs' | 'maxExits' | 'windowMs'>;
}

export interface RunningService {
  /** `http://host:port` of the API, or null when it does not run here. */
  url: string | null;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  client: Client;
  policies: PolicyStore | null;
  app: App | null;
  worker: Worker | null;
  metrics: Metrics;
  /** What is degraded now (`/readyz`). */
  health: Health;
  /** The embedded dev server, when this process runs one. */
  devServer: SupervisedDevServer | null;
  /**
   * Settles with the error that ended the service on its own (the embedded dev server could not be
   * kept running); stays pending otherwise. The caller then closes it and exits 1.
   */
  failed: Promise<Error>;
  /** Graceful shutdown; idempotent. */
  close(): Promise<void>;
}
