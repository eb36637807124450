/**
 * The one set of options both Temporal connections use: the client `Connection.connect` (API,
 * search-attribute check) in `temporal.ts` and the worker's `NativeConnection.connect` in
 * `worker.ts`. Built from the validated config (TLS files already read at start), so the two can
 * never disagree about TLS or credentials.
 */
import type { ConnectionOptions, TLSConfig } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { ServiceConfig } from '../config/index.js';

/** Options accepted as-is by both `Connection.connect` and `NativeConnection.connect`. */
export interface TemporalConnectionOptions {
  address: string;
  /** `false` = plaintext (set explicitly: the SDK would otherwise turn TLS on for an API key). */
  tls: TLSConfig | false;
  /** Sent as `Authorization: Bearer <apiKey>`. A secret: never log these options unredacted. */
  apiKey?: string;
  /** `temporal-namespace` with an API key: Cloud's regional endpoints route operator calls by it. */
  metadata?: Record<string, string>;
}

// Compile-time proof that the object fits both SDK option types.
type Fits<T extends ConnectionOptions & NativeConnectionOptions> = T;
export type TemporalConnectionOptionsFitBoth = Fits<TemporalConnectionOptions>;

export function temporalConnectionOptions(
  config: Pick<ServiceConfig, 'namespace' | 'temporalTls' | 'temporalApiKey'>,
  address: string,
): TemporalConnectionOptions {
  let tls: TLSConfig | false = false;
  if (config.temporalTls) {
    const t = config.temporalTls;
    tls = {
      ...(t.clientCertPair ? { clientCertPair: { crt: t.clientCertPair.crt, key: t.clientCertPair.key } } : {}),
      ...(t.serverRootCACertificate ? { serverRootCACertificate: t.serverRootCACertificate } : {}),
      ...(t.serverNameOverride ? { serverNameOverride: t.serverNameOverride } : {}),
    };
  }
  return {
    address,
    tls,
    ...(config.temporalApiKey !== undefined
      ? { apiKey: config.temporalApiKey, metadata: { 'temporal-namespace': config.namespace } }
      : {}),
  };
}

/** What to log about a connection: no key material, no API key. */
export function describeTemporalConnection(options: TemporalConnectionOptions): {
  temporalAddress: string;
  tls: 'off' | 'on' | 'mtls';
  tlsServerName?: string;
  customCa?: true;
  apiKey: boolean;
} {
  const tls = options.tls;
  return {
    temporalAddress: options.address,
    tls: tls === false ? 'off' : tls.clientCertPair ? 'mtls' : 'on',
    ...(tls !== false && tls.serverNameOverride ? { tlsServerName: tls.serverNameOverride } : {}),
    ...(tls !== false && tls.serverRootCACertificate ? { customCa: true as const } : {}),
    apiKey: options.apiKey !== undefined,
  };
}

/** `mTLS, API key`, `plaintext` and the like, for error messages (never the key itself). */
export function connectionSummary(options: TemporalConnectionOptions): string {
  const d = describeTemporalConnection(options);
  return [d.tls === 'off' ? 'plaintext' : d.tls === 'mtls' ? 'mTLS' : 'TLS', ...(d.apiKey ? ['API key'] : [])].join(', ');
}
