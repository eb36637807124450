export { ConfigError, formatProblem } from './problems.js';
export type { ConfigProblem } from './problems.js';
export { interpolate } from './interpolate.js';
export { parseConfigFile } from './file.js';
export { loadConfig } from './load.js';
export type { LoadConfigOptions, ServiceConfig } from './load.js';
export * from './schema.js';
export { resolveTemporalAuth } from './temporal.js';
export type { TemporalAuthConfig, TemporalTlsConfig } from './temporal.js';
