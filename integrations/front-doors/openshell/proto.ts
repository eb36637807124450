/**
 * Loads `openshell.proto` (kept beside this file; the build must copy it next to the compiled
 * JS) and returns the `openshell.v1.OpenShell` service definition. Shared by the client and the
 * test fake so both speak exactly the same wire format.
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

/** Wire shapes (keepCase). */
export interface WireEndpoint {
  host: string;
  port: number;
  protocol: string;
  tls: string;
  enforcement: string;
  access: string;
  allowed_ips: string[];
  ports: number[];
  path: string;
}
export interface WireChunk {
  id: string;
  status: string;
  rule_name: string;
  proposed_rule: { name: string; endpoints: WireEndpoint[]; binaries: { path: string }[] } | null;
  rationale: string;
  security_notes: string;
  confidence: number;
  stage: string;
  supersedes_chunk_id: string;
  hit_count: number;
  binary: string;
  validation_result: string;
  rejection_reason: string;
  review_token: string;
  created_at_ms: number;
  decided_at_ms: number;
}
