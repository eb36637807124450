import { z } from 'zod';

/**
 * `countersign.yaml`: who may submit (agents), who may decide (approvers) and the approver groups
 * policies name. Validated once at start; string values may use `${VAR}` or `${VAR:-default}` so
 * secrets come from the environment.
 */
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'use letters, digits, ".", "_", "@" or "-"');

export const AgentSchema = z.strictObject({
  id,
  tenant: z.string().min(1).default('default'),
  apiKey: z.string().min(16, 'an API key needs at least 16 characters'),
  /** Secret for signing verdict callbacks to this agent's sandbox; falls back to COUNTERSIGN_CALLBACK_SECRET. */
  callbackSecret: z.string().min(16).optional(),
});

export const ApproverSchema = z.strictObject({
  id,
  name: z.string().min(1),
  email: z.string().email().optional(),
  token: z.string().min(16, 'an approver token needs at least 16 characters'),
  slack: z.string().optional(),
  teams: z.string().optional(),
  pagerduty: z.string().optional(),
  zendesk: z.string().optional(),
});

export const ServiceConfigFileSchema = z.strictObject({
  agents: z.array(AgentSchema).default([]),
  approvers: z.array(ApproverSchema).default([]),
  /** Group name → approver ids. Policies refer to groups by name. */
  groups: z.record(z.string(), z.array(id)).default({}),
});

export type AgentConfig = z.infer<typeof AgentSchema>;
export type ApproverConfig = z.infer<typeof ApproverSchema>;
export type ServiceConfigFile = z.infer<typeof ServiceConfigFileSchema>;

/** Pino log levels `COUNTERSIGN_LOG_LEVEL` accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const nonEmpty = (what: string) => z.string().trim().min(1, `must not be empty: set ${what} or unset it`);

/**
 * The process environment the service reads. Every variable has a default except the secrets and
 * `TEMPORAL_ADDRESS` (unset = start an embedded Temporal dev server).
 */
export const EnvSchema = z.object({
  COUNTERSIGN_PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a port number 0-65535 (0 picks a free port)')
    .transform(Number)
    .pipe(z.number().int().min(0).max(65535, 'must be a port number 0-65535 (0 picks a free port)'))
    .default(8787),
  COUNTERSIGN_HOST: nonEmpty('a host name or IP address such as 127.0.0.1').default('127.0.0.1'),
  COUNTERSIGN_DATA_DIR: nonEmpty('a directory path').default('./.countersign'),
  COUNTERSIGN_POLICY_DIR: nonEmpty('a directory path').default('./policies'),
  COUNTERSIGN_CONFIG: nonEmpty('a file path').default('./countersign.yaml'),
  TEMPORAL_ADDRESS: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, 'must be host:port, e.g. localhost:7233 (unset it to start an embedded dev server)')
    .optional(),
  TEMPORAL_NAMESPACE: nonEmpty('a Temporal namespace such as default').default('default'),
  TEMPORAL_CLI: nonEmpty('the path of a `temporal` executable').optional(),
  /** Base URL approvers reach this service at, for links on cards; default http://<host>:<port>. */
  COUNTERSIGN_PUBLIC_URL: z.string().url('must be an absolute URL such as https://countersign.example.com').optional(),
  COUNTERSIGN_CALLBACK_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters: generate one with `openssl rand -hex 32`')
    .optional(),
  COUNTERSIGN_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
});
export type EnvConfig = z.infer<typeof EnvSchema>;
