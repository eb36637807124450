export { ConfigError, formatProblem, interpolate, loadConfig, parseConfigFile } from './load.js';
export type { ConfigProblem, LoadConfigOptions, ServiceConfig } from './load.js';
export * from './schema.js';
