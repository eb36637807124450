import type { Logger } from '../infra/logger.js';

/**
 * The service's shutdown steps, run in reverse order of registration (stop accepting HTTP, drain
 * the worker, stop the dev server). A failing step is logged and the rest still run.
 */
export class Shutdown {
  private readonly steps: (() => Promise<void>)[] = [];
  private closed: Promise<void> | null = null;
  constructor(private readonly logger: Logger) {}

  /** Registers a step to run on `close()`. */
  push(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  /** Runs every step once; later calls return the same promise. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      for (const fn of this.steps.reverse()) {
        try {
          await fn();
        } catch (error) {
          this.logger.error({ err: error }, 'error during shutdown');
        }
      }
    })();
    return this.closed;
  }
}
