/**
 * Environment of the OpenShell adapter. Unset `OPENSHELL_GATEWAY` = not configured (the factory
 * answers null); set but incomplete = an error naming the variable, at start.
 */
import { parseDuration } from '../../core/index.js';
import { FinalErrorCode, OpenShellError } from './errors.js';

export interface OpenShellConfig {
  /** `host:port` of the gateway's gRPC API. */
  gateway: string;
  /** mTLS files (all three) or none. */
  tls: { ca: string; cert: string; key: string } | null;
  /** Bearer token sent as `authorization` metadata. */
  token: string | null;
  pollIntervalMs: number;
  /** Countersign blueprint that decides every chunk. */
  blueprint: string;
  /** Agent id the approvals are filed under. */
  agent: string;
  /** That agent's Countersign API key (submits through `POST /v1/actions`). */
  apiKey: string;
  /** Secret the verdict callbacks are signed with (the agent's `callbackSecret`). */
  callbackSecret: string;
  workspace: string;
  /** Base URL the worker reaches this service at, for the verdict callback. */
  callbackBase: string;
}

const fail = (variable: string, why: string): never => {
  throw new OpenShellError(FinalErrorCode.Config, `${variable}: ${why}`);
};

/** Reads the adapter's variables; null when `OPENSHELL_GATEWAY` is unset. */
export function readConfig(env: Readonly<Record<string, string | undefined>>, publicUrl: string): OpenShellConfig | null {
  const get = (k: string): string | undefined => (env[k]?.trim() ? env[k]!.trim() : undefined);
  const gateway = get('OPENSHELL_GATEWAY');
  if (!gateway) return null;
  if (!/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(gateway)) fail('OPENSHELL_GATEWAY', 'must be host:port, e.g. gateway.internal:8443');
  const tlsParts = [get('OPENSHELL_TLS_CA'), get('OPENSHELL_TLS_CERT'), get('OPENSHELL_TLS_KEY')];
  const someTls = tlsParts.some(Boolean);
  if (someTls && !tlsParts.every(Boolean)) fail('OPENSHELL_TLS_CA/OPENSHELL_TLS_CERT/OPENSHELL_TLS_KEY', 'set all three mTLS files or none');
  let pollIntervalMs = 5000;
  const interval = get('OPENSHELL_POLL_INTERVAL');
  if (interval) {
    try {
      pollIntervalMs = parseDuration(/^\d+$/.test(interval) ? Number(interval) : interval) * 1000;
    } catch (error) {
      fail('OPENSHELL_POLL_INTERVAL', `must be a duration such as 5s or 1m (${(error as Error).message})`);
    }
    if (pollIntervalMs < 1000) fail('OPENSHELL_POLL_INTERVAL', 'must be at least 1s');
  }
  const callbackSecret = get('OPENSHELL_CALLBACK_SECRET') ?? get('COUNTERSIGN_CALLBACK_SECRET');
  if (!callbackSecret || callbackSecret.length < 16) {
    fail('OPENSHELL_CALLBACK_SECRET', "must be the OpenShell agent's callbackSecret (or COUNTERSIGN_CALLBACK_SECRET), at least 16 characters");
  }
  return {
    gateway,
    tls: someTls ? { ca: tlsParts[0]!, cert: tlsParts[1]!, key: tlsParts[2]! } : null,
    token: get('OPENSHELL_TOKEN') ?? null,
    pollIntervalMs,
    blueprint: get('OPENSHELL_BLUEPRINT') ?? fail('OPENSHELL_BLUEPRINT', 'name the blueprint that decides sandbox egress, e.g. openshell-egress'),
    agent: get('OPENSHELL_AGENT') ?? fail('OPENSHELL_AGENT', 'name the agent id (countersign.yaml agents[].id) approvals are filed under'),
    apiKey: get('OPENSHELL_API_KEY') ?? fail('OPENSHELL_API_KEY', "must be that agent's apiKey from countersign.yaml"),
    callbackSecret: callbackSecret!,
    workspace: get('OPENSHELL_WORKSPACE') ?? 'default',
    callbackBase: (get('OPENSHELL_CALLBACK_URL') ?? publicUrl).replace(/\/+$/, ''),
  };
}
