/**
 * Public API of the Temporal plumbing: find/install the `temporal` CLI, run its dev server, register
 * search attributes, bundle workflows. Used by `countersign start`, the tests (test/support) and CI.
 *
 * Typical embedded start:
 * ```ts
 * const cliPath = await ensureTemporalCli({ onProgress: console.error }); // null: no CLI and no Go
 * const server = await startDevServer({ cliPath, dbFile, searchAttributes: SEARCH_ATTRIBUTE_TYPES });
 * ```
 * With `cliPath === null` the dev server falls back to `TestWorkflowEnvironment.createLocal()`,
 * which downloads the CLI (needs internet and the `@temporalio/testing` package).
 */
export * from './errors.js';
export { findTemporalCli, toolsDir, TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION, type FindTemporalCliOptions } from './find.js';
export { installTemporalCli, type InstallTemporalCliOptions } from './install.js';
export { ensureTemporalCli, type EnsureTemporalCliOptions } from './ensure.js';
export { freePort, probe, startDevServer, type DevServer, type DevServerExit, type DevServerOptions } from './dev-server.js';
export { guardedRetry, type GuardedRetry } from './retry.js';
export { TemporalMonitor, type TemporalMonitorOptions } from './monitor.js';
export { superviseDevServer, type SupervisedDevServer, type SupervisorEvent, type SupervisorOptions } from './supervisor.js';
export {
  checkSearchAttributes,
  ensureSearchAttributes,
  isAddRefused,
  missingSearchAttributesMessage,
  requireSearchAttributes,
  type SearchAttributeTypeName,
  type SearchAttributeTypes,
} from './search-attributes.js';
export { bundlerLogger, esmExtensionAliasHook, getWorkflowBundle, resolveWorkflowsPath, workflowBundlerOptions, type LevelLogger } from './bundle.js';
export { createWorker, DEFAULT_MAX_CACHED_WORKFLOWS, defaultMaxCachedWorkflows, type CreateWorkerOptions } from './worker.js';
export {
  connectionSummary,
  describeTemporalConnection,
  temporalConnectionOptions,
  type TemporalConnectionOptions,
} from './connection-options.js';
