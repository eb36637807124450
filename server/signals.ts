import type { Logger } from '../infra/logger.js';

/** Resolves on the first SIGINT/SIGTERM, after `service.close()`; a second signal exits at once. */
export function closeOnSignals(service: { close(): Promise<void> }, logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'shutting down (send the signal again to exit at once)');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      void service.close().then(() => resolve(signal));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
