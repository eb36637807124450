/**
 * server: the start-up wiring of the running service (`countersign start|worker|api`, tests,
 * embedding). {@link startService} assembles Temporal, the worker, the HTTP API and the
 * integrations in any combination; {@link runServiceCommand} is the CLI body around it;
 * {@link loadServiceConfig} loads the configuration with the channel registry's identity keys.
 * Shared infrastructure (config, logging, metrics, Temporal install and connection, the policy
 * store) is infra/.
 */
export { runServiceCommand, type ServiceCommandIO, type ServiceCommandKind } from './command.js';
export { closeOnSignals } from './signals.js';
export { loadServiceConfig, type LoadServiceConfigOptions } from './config.js';
export { startService } from './start.js';
export { DEFAULT_TEMPORAL_PORT } from './temporal.js';
export type { RunningService, ServiceOptions } from './types.js';
