/**
 * Loading the service configuration: environment variables plus `countersign.yaml`, validated with
 * zod once at start. Every problem names where it is (the variable, or `file:line:col` and the
 * config path) and what to do about it; all problems are reported together.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from './env.js';
import { parseConfigFile } from './file.js';
import { ConfigError, type ConfigProblem } from './problems.js';
import type { Admin, Agent, Approver } from '../../core/index.js';
import type { EnvConfig, McpServerConfig, ServiceConfigFile } from './schema.js';
import { resolveTemporalAuth, type TemporalAuthConfig } from './temporal.js';

/** The validated configuration the service runs with. Paths are absolute. */
export interface ServiceConfig extends TemporalAuthConfig {
  port: number;
  host: string;
  dataDir: string;
  policyDir: string;
  configFile: string;
  temporalAddress: string | undefined;
  namespace: string;
  temporalCli: string | undefined;
  callbackSecret: string | undefined;
  /** COUNTERSIGN_AUDIT_SIGNING_KEY_FILE (absolute); unset: the embedded default makes one in the data dir. */
  auditSigningKeyFile: string | undefined;
  /** COUNTERSIGN_SESSION_SECRET: signs console sessions; unset = random per process. */
  sessionSecret: string | undefined;
  /** COUNTERSIGN_OIDC_*: the console signs people in through this provider; null = token sign-in. */
  oidc: { issuer: string; clientId: string; clientSecret: string | undefined; claim: string; label: string } | null;
  /** COUNTERSIGN_PUBLIC_URL: where approvers reach the API (links on cards). */
  publicUrl: string | undefined;
  logLevel: EnvConfig['COUNTERSIGN_LOG_LEVEL'];
  /** COUNTERSIGN_MAX_CACHED_WORKFLOWS; undefined = the worker's default (min(1000, heap-derived)). */
  maxCachedWorkflows: number | undefined;
  agents: Agent[];
  approvers: Approver[];
  /** Who may freeze and unfreeze (`admins:`). */
  admins: Admin[];
  groups: Record<string, string[]>;
  /** `mcpServers:` of countersign.yaml: the MCP servers served at `/mcp/<name>`. */
  mcpServers: Record<string, McpServerConfig>;
}

export interface LoadConfigOptions {
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Check that the policy directory exists (default true). */
  checkPolicyDir?: boolean;
  /** The flat channel keys an approver entry may carry (`slack:`, `teams:`, …): the channel registry's. */
  identityKeys: readonly string[];
}

/** Reads and validates env + config file. @throws {ConfigError} listing every problem. */
export function loadConfig(options: LoadConfigOptions): ServiceConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];

  const e = parseEnv(env);
  const configFile = path.resolve(cwd, e.COUNTERSIGN_CONFIG);
  const policyDir = path.resolve(cwd, e.COUNTERSIGN_POLICY_DIR);

  if (options.checkPolicyDir !== false) {
    if (!existsSync(policyDir) || !statSync(policyDir).isDirectory()) {
      problems.push({
        where: 'COUNTERSIGN_POLICY_DIR',
        message: `${policyDir} is not a directory: create it with your policy YAML files or point COUNTERSIGN_POLICY_DIR at one`,
      });
    }
  }

  const temporalAuth = resolveTemporalAuth(e, cwd, problems);
  if (e.COUNTERSIGN_OIDC_ISSUER && !e.COUNTERSIGN_OIDC_CLIENT_ID) {
    problems.push({ where: 'COUNTERSIGN_OIDC_CLIENT_ID', message: 'COUNTERSIGN_OIDC_ISSUER is set but not the client id: register Countersign with the provider and set COUNTERSIGN_OIDC_CLIENT_ID (and _CLIENT_SECRET)' });
  }
  if (!e.COUNTERSIGN_OIDC_ISSUER && (e.COUNTERSIGN_OIDC_CLIENT_ID || e.COUNTERSIGN_OIDC_CLIENT_SECRET)) {
    problems.push({ where: 'COUNTERSIGN_OIDC_ISSUER', message: 'an OIDC client is configured but no issuer: set COUNTERSIGN_OIDC_ISSUER, or unset COUNTERSIGN_OIDC_CLIENT_ID and _CLIENT_SECRET' });
  }

  let file: ServiceConfigFile | undefined;
  if (!existsSync(configFile)) {
    problems.push({
      where: 'COUNTERSIGN_CONFIG',
      message: `${configFile} does not exist: create it (agents, approvers, groups) or point COUNTERSIGN_CONFIG at one`,
    });
  } else {
    file = parseConfigFile(readFileSync(configFile, 'utf8'), configFile, env, problems, options.identityKeys);
  }
  if (problems.length > 0 || !file) throw new ConfigError(problems);

  return {
    port: e.COUNTERSIGN_PORT,
    host: e.COUNTERSIGN_HOST,
    dataDir: path.resolve(cwd, e.COUNTERSIGN_DATA_DIR),
    policyDir,
    configFile,
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    temporalCli: e.TEMPORAL_CLI,
    callbackSecret: e.COUNTERSIGN_CALLBACK_SECRET,
    sessionSecret: e.COUNTERSIGN_SESSION_SECRET,
    auditSigningKeyFile: e.COUNTERSIGN_AUDIT_SIGNING_KEY_FILE ? path.resolve(cwd, e.COUNTERSIGN_AUDIT_SIGNING_KEY_FILE) : undefined,
    oidc:
      e.COUNTERSIGN_OIDC_ISSUER && e.COUNTERSIGN_OIDC_CLIENT_ID
        ? {
            issuer: e.COUNTERSIGN_OIDC_ISSUER,
            clientId: e.COUNTERSIGN_OIDC_CLIENT_ID,
            clientSecret: e.COUNTERSIGN_OIDC_CLIENT_SECRET,
            claim: e.COUNTERSIGN_OIDC_CLAIM,
            label: e.COUNTERSIGN_OIDC_LABEL ?? new URL(e.COUNTERSIGN_OIDC_ISSUER).host,
          }
        : null,
    publicUrl: e.COUNTERSIGN_PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: e.COUNTERSIGN_LOG_LEVEL,
    maxCachedWorkflows: e.COUNTERSIGN_MAX_CACHED_WORKFLOWS,
    ...temporalAuth,
    agents: file.agents,
    approvers: file.approvers,
    admins: file.admins,
    groups: file.groups,
    mcpServers: file.mcpServers,
  };
}
