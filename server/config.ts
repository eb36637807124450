/** The service configuration as `start`, `worker` and `api` load it: with the channel registry's identity keys. */
import { identityKeys, type ChannelDefinition } from '../integrations/index.js';
import { loadConfig, type LoadConfigOptions, type ServiceConfig } from '../infra/config/index.js';

export interface LoadServiceConfigOptions extends Omit<LoadConfigOptions, 'identityKeys'> {
  /** The channels whose identity keys approvers may carry; default the registry's. */
  channels?: readonly ChannelDefinition[];
}

/** Reads and validates env + `countersign.yaml`. @throws {ConfigError} listing every problem. */
export function loadServiceConfig(options: LoadServiceConfigOptions = {}): ServiceConfig {
  const { channels, ...rest } = options;
  return loadConfig({ ...rest, identityKeys: identityKeys(channels) });
}
