/**
 * Environment of the OpenShell front door. Unset `OPENSHELL_GATEWAY` = not configured (the factory
 * answers null); set but incomplete = an error naming the variable, at start.
 */
import { z } from 'zod';
import { parseDuration } from '../../../core/index.js';
import { describeProblems, readEnv, requireSet } from '../../kit/index.js';
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
  /** That agent's Countersign API key (what it submits with). */
  apiKey: string;
  /** Secret the verdict callbacks are signed with (the agent's `callbackSecret`). */
  callbackSecret: string;
  workspace: string;
  /** Base URL the worker reaches this service at, for the verdict callback. */
  callbackBase: string;
}

const VARIABLES = [
  'OPENSHELL_GATEWAY', 'OPENSHELL_TLS_CA', 'OPENSHELL_TLS_CERT', 'OPENSHELL_TLS_KEY', 'OPENSHELL_TOKEN', 'OPENSHELL_POLL_INTERVAL',
  'OPENSHELL_BLUEPRINT', 'OPENSHELL_AGENT', 'OPENSHELL_API_KEY', 'OPENSHELL_CALLBACK_SECRET', 'COUNTERSIGN_CALLBACK_SECRET',
  'OPENSHELL_WORKSPACE', 'OPENSHELL_CALLBACK_URL',
];

const pollInterval = z.string().transform((raw, ctx) => {
  try {
    const ms = parseDuration(/^\d+$/.test(raw) ? Number(raw) : raw) * 1000;
    if (ms >= 1000) return ms;
    ctx.addIssue({ code: 'custom', message: 'must be at least 1s' });
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `must be a duration such as 5s or 1m (${(error as Error).message})` });
  }
  return z.NEVER;
});

const needs = {
  OPENSHELL_BLUEPRINT: 'name the blueprint that decides sandbox egress, e.g. openshell-egress',
  OPENSHELL_AGENT: 'name the agent id (countersign.yaml agents[].id) approvals are filed under',
  OPENSHELL_API_KEY: "set it to that agent's apiKey from countersign.yaml",
} as const;

const schema = (publicUrl: string) => () =>
  z
    .object({
      OPENSHELL_GATEWAY: z.string().regex(/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, 'must be host:port, e.g. gateway.internal:8443'),
      OPENSHELL_TLS_CA: z.string().optional(),
      OPENSHELL_TLS_CERT: z.string().optional(),
      OPENSHELL_TLS_KEY: z.string().optional(),
      OPENSHELL_TOKEN: z.string().optional(),
      OPENSHELL_POLL_INTERVAL: pollInterval.default(5000),
      OPENSHELL_BLUEPRINT: z.string().optional(),
      OPENSHELL_AGENT: z.string().optional(),
      OPENSHELL_API_KEY: z.string().optional(),
      OPENSHELL_CALLBACK_SECRET: z.string().optional(),
      COUNTERSIGN_CALLBACK_SECRET: z.string().optional(),
      OPENSHELL_WORKSPACE: z.string().default('default'),
      OPENSHELL_CALLBACK_URL: z.string().optional(),
    })
    .superRefine((v, ctx) => {
      const tls = [v.OPENSHELL_TLS_CA, v.OPENSHELL_TLS_CERT, v.OPENSHELL_TLS_KEY];
      if (tls.some(Boolean) && !tls.every(Boolean)) {
        ctx.addIssue({ code: 'custom', path: ['OPENSHELL_TLS_CA/OPENSHELL_TLS_CERT/OPENSHELL_TLS_KEY'], message: 'set all three mTLS files or none' });
      }
      const secret = v.OPENSHELL_CALLBACK_SECRET ?? v.COUNTERSIGN_CALLBACK_SECRET;
      if (!secret || secret.length < 16) {
        ctx.addIssue({ code: 'custom', path: ['OPENSHELL_CALLBACK_SECRET'], message: "must be the OpenShell agent's callbackSecret (or COUNTERSIGN_CALLBACK_SECRET), at least 16 characters" });
      }
      for (const [name, what] of Object.entries(needs)) if (!v[name as keyof typeof needs]) requireSet(ctx, name, `OPENSHELL_GATEWAY is set: ${what}`);
    })
    .transform(
      (v): OpenShellConfig => ({
        gateway: v.OPENSHELL_GATEWAY,
        tls: v.OPENSHELL_TLS_CA ? { ca: v.OPENSHELL_TLS_CA, cert: v.OPENSHELL_TLS_CERT!, key: v.OPENSHELL_TLS_KEY! } : null,
        token: v.OPENSHELL_TOKEN ?? null,
        pollIntervalMs: v.OPENSHELL_POLL_INTERVAL,
        blueprint: v.OPENSHELL_BLUEPRINT!,
        agent: v.OPENSHELL_AGENT!,
        apiKey: v.OPENSHELL_API_KEY!,
        callbackSecret: (v.OPENSHELL_CALLBACK_SECRET ?? v.COUNTERSIGN_CALLBACK_SECRET)!,
        workspace: v.OPENSHELL_WORKSPACE,
        callbackBase: (v.OPENSHELL_CALLBACK_URL ?? publicUrl).replace(/\/+$/, ''),
      }),
    );

/** Reads the front door's variables; null when `OPENSHELL_GATEWAY` is unset. @throws {OpenShellError} `OPENSHELL_CONFIG`. */
export function readConfig(env: Readonly<Record<string, string | undefined>>, publicUrl: string): OpenShellConfig | null {
  return readEnv(env, {
    variables: VARIABLES,
    switches: ['OPENSHELL_GATEWAY'],
    schema: schema(publicUrl),
    fail: (problems) => new OpenShellError(FinalErrorCode.Config, describeProblems(problems)),
  });
}
