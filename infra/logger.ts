/**
 * The service logger: pino, JSON lines on stderr. Secrets are redacted by path wherever they sit
 * (config objects, request headers, agent/approver records); never log a secret by message text.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths pino censors. `*` matches one level, so common nestings are listed explicitly. */
export const REDACT_PATHS: readonly string[] = [
  'apiKey',
  'token',
  'callbackSecret',
  'secret',
  'authorization',
  '*.apiKey',
  '*.token',
  '*.callbackSecret',
  '*.secret',
  '*.authorization',
  '*.*.apiKey',
  '*.*.token',
  '*.*.callbackSecret',
  'agents[*].apiKey',
  'agents[*].callbackSecret',
  'approvers[*].token',
  'config.agents[*].apiKey',
  'config.agents[*].callbackSecret',
  'config.approvers[*].token',
  'config.callbackSecret',
  // Temporal credentials: TEMPORAL_API_KEY and the mTLS private key (PEM bytes), in the config and
  // in connection options (`temporalConnectionOptions`).
  'temporalApiKey',
  '*.temporalApiKey',
  'temporalTls.clientCertPair.key',
  'config.temporalTls.clientCertPair.key',
  'tls.clientCertPair.key',
  '*.tls.clientCertPair.key',
  'clientCertPair.key',
  '*.clientCertPair.key',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'res.headers["set-cookie"]',
];

export interface CreateLoggerOptions {
  level?: LoggerOptions['level'];
  /** Where lines go; default stderr. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
  name?: string;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'countersign',
      level: options.level ?? 'info',
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
      base: { pid: process.pid },
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
