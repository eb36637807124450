/**
 * Public API of the running service (`countersign start|worker|api`, tests, embedding):
 * {@link startService} assembles Temporal, the worker and the HTTP API in any combination;
 * {@link runServiceCommand} is the CLI body around it. The parts live in server/service/.
 */
export { runServiceCommand, type ServiceCommandIO, type ServiceCommandKind } from './service/command.js';
export { closeOnSignals } from './service/signals.js';
export { loadServiceConfig, type LoadServiceConfigOptions } from './service/config.js';
export { startService } from './service/start.js';
export { DEFAULT_TEMPORAL_PORT } from './service/temporal.js';
export type { RunningService, ServiceOptions } from './service/types.js';
