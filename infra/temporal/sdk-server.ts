/**
 * Fallback when there is no CLI and no Go: `TestWorkflowEnvironment.createLocal()` from
 * `@temporalio/testing` (a dev dependency) downloads the Temporal CLI itself; needs internet.
 */
import { TemporalCliNotFoundError, TemporalServerStartError } from './errors.js';
import type { DevServer, DevServerOptions } from './dev-server.js';

/** Fallback when no CLI exists and Go is absent: `TestWorkflowEnvironment.createLocal()` downloads the CLI. */
export async function startWithSdkDownload(options: DevServerOptions, namespace: string, port: number, extraArgs: string[]): Promise<DevServer> {
  let testing: typeof import('@temporalio/testing');
  try {
    testing = await import('@temporalio/testing');
  } catch (cause) {
    throw new TemporalCliNotFoundError('no Temporal CLI: install Go >= 1.25 (it is then built automatically) or set TEMPORAL_CLI.', { cause });
  }
  try {
    const env = await testing.TestWorkflowEnvironment.createLocal({
      server: { ip: '127.0.0.1', port, namespace, extraArgs, ...(options.dbFile ? { dbFilename: options.dbFile } : {}), ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : {}) },
    });
    // The SDK owns this process and tells nobody when it dies: it is not supervised.
    return { address: env.address, namespace, stop: async () => env.teardown(), process: null, exited: new Promise(() => {}), output: () => [] };
  } catch (cause) {
    throw new TemporalServerStartError(`could not download and start the Temporal dev server (needs internet): ${String(cause)}; install Go >= 1.25 or set TEMPORAL_CLI instead.`, { cause });
  }
}
