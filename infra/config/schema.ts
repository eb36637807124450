import { z } from 'zod';
import { createHash } from 'node:crypto';
import { ANY, AgentRole, type Agent, type Approver, type Credential } from '../../core/index.js';

/**
 * `countersign.yaml`: who may submit (agents), who may decide (approvers) and the approver groups
 * policies name. Validated once at start; string values may use `${VAR}` or `${VAR:-default}` so
 * secrets come from the environment.
 */
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'use letters, digits, ".", "_", "@" or "-"');

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$|^\*$/, 'use letters, digits, ".", "_", "@" or "-", or "*" for every one');

/** A list of names, or `["*"]`; never both. Non-empty unless `empty` says what an empty one means. */
const names = (what: string, empty = false) =>
  z
    .array(name, { error: `must be a list of ${what}, e.g. [${what === 'blueprints' ? 'customer-support' : 'acme'}], or ["*"] for every one` })
    .min(empty ? 0 : 1, `must name at least one of the ${what}, or ["*"] for every one`)
    .refine((list) => !list.includes(ANY) || list.length === 1, `"*" already means every one of the ${what}: list it alone`);

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be the lower-case hex SHA-256 of the key (countersign keys new prints it)');
const expires = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T.+(Z|[+-]\d{2}:?\d{2}))?$/.test(s) && Number.isFinite(Date.parse(s)), 'must be an ISO-8601 date or time with a zone, e.g. 2027-03-31 or 2027-03-31T18:00:00Z');

/** One more key in `apiKeys:` / `tokens:`: the key or its digest, optionally with an expiry. */
const keyEntry = (what: string) =>
  z
    .strictObject({ key: z.string().min(16, `${what} needs at least 16 characters`).optional(), sha256: sha256Hex.optional(), expires: expires.optional() })
    .refine((k) => (k.key === undefined) !== (k.sha256 === undefined), { message: 'give exactly one of key and sha256' });

type KeyFields = { key?: string | undefined; sha256?: string | undefined; expires?: string | undefined };
const sha256Of = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
const credentialOf = (k: KeyFields): Credential => ({ sha256: k.sha256 ?? sha256Of(k.key!), expiresAt: k.expires ? Date.parse(k.expires) : null });

/** Every credential an entry names: its single key or digest field, then its list. */
function credentialsFrom(single: string | undefined, singleSha256: string | undefined, list: readonly KeyFields[] | undefined): Credential[] {
  return [
    ...(single !== undefined ? [credentialOf({ key: single })] : []),
    ...(singleSha256 !== undefined ? [credentialOf({ sha256: singleSha256 })] : []),
    ...(list ?? []).map(credentialOf),
  ];
}

export const AgentSchema: z.ZodType<Agent, unknown> = z.strictObject({
  id,
  tenant: z.string().min(1).default('default'),
  apiKey: z.string().min(16, 'an API key needs at least 16 characters').optional(),
  /** The key's SHA-256 instead of the key: the config file then holds no secret. */
  apiKeySha256: sha256Hex.optional(),
  /** Several keys (a rotation's overlap), each with an optional `expires`. */
  apiKeys: z.array(keyEntry('an API key')).optional(),
  /** Secret for signing verdict callbacks to this agent's sandbox; falls back to COUNTERSIGN_CALLBACK_SECRET. */
  callbackSecret: z.string().min(16).optional(),
  /** The only blueprints it may submit to. Required: agents start with nothing. */
  blueprints: names('blueprints'),
  role: z.enum([AgentRole.TenantReader], { error: `must be ${AgentRole.TenantReader}` }).optional(),
})
  .superRefine((a, ctx) => {
    if (a.apiKey === undefined && a.apiKeySha256 === undefined && (a.apiKeys ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'an agent needs a key: apiKey, apiKeySha256 or apiKeys (countersign keys new makes one)' });
    }
  })
  .transform(({ apiKeySha256, apiKeys, ...a }): Agent => ({ ...a, credentials: credentialsFrom(a.apiKey, apiKeySha256, apiKeys) }));

/**
 * An approver entry: its own fields plus one optional flat key per channel identity
 * (`slack: U012ABC`), gathered into `identities`.
 */
export function approverSchema(identityKeys: readonly string[]): z.ZodType<Approver, unknown> {
  const keys = Object.fromEntries(identityKeys.map((key) => [key, z.string().optional()]));
  return z
    .strictObject({
      id,
      name: z.string().min(1),
      email: z.string().email().optional(),
      token: z.string().min(16, 'an approver token needs at least 16 characters').optional(),
      tokenSha256: sha256Hex.optional(),
      tokens: z.array(keyEntry('an approver token')).optional(),
      /** The tenants whose requests this person may decide. Required; `[]` only for a pure auditor. */
      tenants: names('tenants', true),
      /** Tenants this person reads as an auditor (never decides). */
      auditorOf: names('tenants').optional(),
      ...keys,
    })
    .superRefine((entry, ctx) => {
      if (entry.token === undefined && entry.tokenSha256 === undefined && ((entry.tokens as unknown[] | undefined) ?? []).length === 0) {
        ctx.addIssue({ code: 'custom', path: ['token'], message: 'an approver needs a token: token, tokenSha256 or tokens (countersign keys new makes one)' });
      }
      if ((entry.tenants as string[]).length === 0 && entry.auditorOf === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants'],
          message: 'an approver with tenants: [] decides nothing: name the tenants whose requests they decide, or add auditorOf: [<tenants>] for a read-only auditor',
        });
      }
    })
    .transform((entry): Approver => {
      const { id: approverId, name: fullName, email, token, tokenSha256, tokens, tenants, auditorOf, ...rest } = entry as Record<string, unknown>;
      const identities: Record<string, string> = {};
      for (const key of identityKeys) if (typeof rest[key] === 'string') identities[key] = rest[key] as string;
      return {
        id: approverId as string,
        name: fullName as string,
        ...(email !== undefined ? { email: email as string } : {}),
        ...(token !== undefined ? { token: token as string } : {}),
        credentials: credentialsFrom(token as string | undefined, tokenSha256 as string | undefined, tokens as KeyFields[] | undefined),
        tenants: tenants as string[],
        auditorOf: (auditorOf as string[] | undefined) ?? [],
        identities,
      };
    });
}

export const AdminSchema = z.strictObject({ id, token: z.string().min(24, 'an admin token needs at least 24 characters') });

/**
 * One upstream MCP server the service fronts at `/mcp/<name>` (Streamable HTTP): a `url` of a
 * Streamable HTTP server, or a `command` (with `args`) the service runs over stdio for each session.
 */
export const McpServerSchema = z
  .strictObject({
    blueprint: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'must be a blueprint name'),
    url: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of a Streamable HTTP MCP server' }).optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
  })
  .refine((s) => (s.url === undefined) !== (s.command === undefined), { message: 'give exactly one of url (a Streamable HTTP server) and command (a stdio server the service runs)' });
export type McpServerConfig = z.infer<typeof McpServerSchema>;

/** The whole file, for channels whose identity keys are `identityKeys`. */
export function serviceConfigFileSchema(identityKeys: readonly string[]) {
  return z.strictObject({
    agents: z.array(AgentSchema).default([]),
    approvers: z.array(approverSchema(identityKeys)).default([]),
    /** Who may freeze agents, blueprints and tenants (the kill switch); a credential kind of its own. */
    admins: z.array(AdminSchema).default([]),
    /** Group name → approver ids. Policies refer to groups by name. */
    groups: z.record(z.string(), z.array(id)).default({}),
    /** Upstream MCP servers served at `/mcp/<name>`; `<name>` is the `mcp.<name>.<tool>` of their actions. */
    mcpServers: z
      .record(z.string(), McpServerSchema)
      .superRefine((servers, ctx) => {
        for (const key of Object.keys(servers)) {
          if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: `${JSON.stringify(key)}: an MCP server name is letters, digits, _ and - (it becomes mcp.<name>.<tool>)` });
        }
      })
      .default({}),
  });
}

export type ServiceConfigFile = z.infer<ReturnType<typeof serviceConfigFileSchema>>;

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
  /** Ed25519 PKCS#8 PEM that signs the audit entries of blueprints with `auditLog.signedEntries: true`. */
  COUNTERSIGN_AUDIT_SIGNING_KEY_FILE: nonEmpty('the path of an Ed25519 private key in PKCS#8 PEM').optional(),
  /** Signs console session cookies; every API process of one deployment needs the same one. */
  COUNTERSIGN_SESSION_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters: generate one with `openssl rand -hex 32`')
    .optional(),
  /** The console's OpenID Connect provider (issuer URL); unset = approvers sign in with their token. */
  COUNTERSIGN_OIDC_ISSUER: z.string().url('must be the issuer URL, e.g. https://login.example.com/').optional(),
  COUNTERSIGN_OIDC_CLIENT_ID: nonEmpty('the client id registered with the provider').optional(),
  COUNTERSIGN_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The ID token claim naming the approver: `email` matches approvers[].email, any other claim approvers[].id. */
  COUNTERSIGN_OIDC_CLAIM: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_.:-]*$/, 'must be a claim name such as email or preferred_username')
    .default('email'),
  /** The button reads "Sign in with <label>"; default: the issuer's host. */
  COUNTERSIGN_OIDC_LABEL: nonEmpty('a short name such as Okta').optional(),
  COUNTERSIGN_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /**
   * Upper bound of the worker's workflow cache (workflows kept in memory between tasks); evicted
   * ones are replayed from history when they next wake. Unset = min(1000, what the heap allows).
   */
  COUNTERSIGN_MAX_CACHED_WORKFLOWS: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number: 0 turns the cache off, otherwise at least 2 (e.g. 1000)')
    .transform(Number)
    .pipe(z.number().int().refine((n) => n !== 1, 'must be 0 (cache off) or at least 2 (e.g. 1000)'))
    .optional(),
  // --- TLS and authentication of both Temporal connections (client and worker) ----------------
  // Names as in Temporal's own environment configuration. Files are read once at start (load.ts).
  /** `true`/`false`; default true when any TEMPORAL_TLS_* variable or TEMPORAL_API_KEY is set. */
  TEMPORAL_TLS: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }))
    .transform((v) => v === 'true')
    .optional(),
  /** PEM client certificate for mTLS; needs TEMPORAL_TLS_CLIENT_KEY_PATH. */
  TEMPORAL_TLS_CLIENT_CERT_PATH: nonEmpty('the path of a PEM client certificate').optional(),
  /** PEM private key of the client certificate; needs TEMPORAL_TLS_CLIENT_CERT_PATH. */
  TEMPORAL_TLS_CLIENT_KEY_PATH: nonEmpty('the path of the PEM private key of the client certificate').optional(),
  /** PEM CA bundle the server certificate must chain to; default: the system trust store. */
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: nonEmpty('the path of a PEM CA certificate').optional(),
  /** Host name to verify the server certificate against (and SNI) instead of TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'must be a host name such as temporal.internal.example.com')
    .optional(),
  /** Temporal Cloud API key (sent as `Authorization: Bearer …`). A secret: never logged or echoed. */
  TEMPORAL_API_KEY: z
    .string()
    .trim()
    .min(1, 'must not be empty: set it to a Temporal Cloud API key or unset it')
    .regex(/^[\x21-\x7e]+$/, 'must be one token of printable characters (no spaces): check what was pasted')
    .optional(),
});
export type EnvConfig = z.infer<typeof EnvSchema>;
