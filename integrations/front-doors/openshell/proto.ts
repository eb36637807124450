/**
 * Loads `openshell.proto` (kept beside this file; the build must copy it next to the compiled
 * JS) and returns the `openshell.v1.OpenShell` service definition. The test fake writes its own
 * copy from the upstream definitions, so a wrong field number here fails a test.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const CANDIDATES = ['./openshell.proto', '../../../../integrations/front-doors/openshell/openshell.proto'];

/** Absolute path of openshell.proto (source tree or next to dist output). */
export function protoPath(): string {
  for (const rel of CANDIDATES) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('openshell.proto not found next to integrations/front-doors/openshell: copy it into the build output');
}

let cached: ServiceClientConstructor | null = null;

/** The generated client constructor of `openshell.v1.OpenShell` (snake_case fields kept). */
export function openShellService(): ServiceClientConstructor {
  if (cached) return cached;
  const def = loadSync(protoPath(), { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const pkg = loadPackageDefinition(def) as unknown as { openshell: { v1: { OpenShell: ServiceClientConstructor } } };
  cached = pkg.openshell.v1.OpenShell;
  return cached;
}

/** Wire shapes (keepCase, defaults filled in: absent strings are "", lists [], messages null). */
export interface WireQueryMatcher {
  glob: string;
  any: string[];
}
export interface WireL7Match {
  method: string;
  path: string;
  command: string;
  query: Record<string, WireQueryMatcher>;
  operation_type: string;
  operation_name: string;
  fields: string[];
  params: Record<string, WireQueryMatcher>;
}
export interface WireEndpoint {
  host: string;
  port: number;
  protocol: string;
  tls: string;
  enforcement: string;
  access: string;
  rules: { allow: WireL7Match | null }[];
  allowed_ips: string[];
  ports: number[];
  deny_rules: WireL7Match[];
  allow_encoded_slash: boolean;
  persisted_queries: string;
  graphql_persisted_queries: Record<string, { operation_type: string; operation_name: string; fields: string[] }>;
  graphql_max_body_bytes: number;
  path: string;
  websocket_credential_rewrite: boolean;
  request_body_credential_rewrite: boolean;
  advisor_proposed: boolean;
  credential_signing: string;
  signing_service: string;
  signing_region: string;
  json_rpc_max_body_bytes: number;
  mcp: { strict_tool_names?: boolean; allow_all_known_mcp_methods?: boolean } | null;
  credential_binding: { provider: string } | null;
  allow_uninspected_credentials: boolean;
  provider_credentialed: boolean;
}
export interface WireRule {
  name: string;
  endpoints: WireEndpoint[];
  binaries: { path: string; harness: boolean }[];
}
export interface WireChunk {
  id: string;
  status: string;
  rule_name: string;
  proposed_rule: WireRule | null;
  rationale: string;
  security_notes: string;
  confidence: number;
  stage: string;
  supersedes_chunk_id: string;
  hit_count: number;
  binary: string;
  validation_result: string;
  rejection_reason: string;
  application_error: string;
  review_token: string;
  current_effective_policy_hash: string;
  candidate_effective_policy_hash: string;
  created_at_ms: number;
  decided_at_ms: number;
}
export interface WireSandbox {
  metadata: { id: string; name: string; workspace: string } | null;
}
export interface WireCurrentUser {
  subject: string;
  display_name: string;
  roles: string[];
  scopes: string[];
  identity_provider: string;
}
