/**
 * A draft policy chunk as a Countersign request. The request's params are what policies write
 * triggers over (`host == 'api.github.com' AND port == 443`) and what cards show. A chunk's
 * *fingerprint* covers what a reviewer judges (rule, endpoints, binaries, rationale, notes,
 * validation) and not what churns (hit counts, timestamps, review token): the same fingerprint
 * is the same proposal; a new one goes back for review as a new approval.
 */
import { createHash } from 'node:crypto';
import type { WireChunk, WireEndpoint } from './proto.js';

/** The action every chunk is filed as. */
export const EGRESS_ACTION = 'sandbox.egress';

/** Where an approval's chunk lives; carried in the callback URL and re-checked against the id. */
export interface ChunkBinding {
  workspace: string;
  sandbox: string;
  chunkId: string;
  fingerprint: string;
}

const endpointView = (e: WireEndpoint) => ({
  host: e.host,
  port: e.ports.length > 0 ? e.ports[0]! : e.port,
  ports: e.ports.length > 0 ? e.ports : [e.port],
  protocol: e.protocol || 'l4',
  access: e.access || (e.protocol ? 'custom' : 'full'),
  ...(e.path ? { path: e.path } : {}),
  ...(e.allowed_ips.length ? { allowed_ips: e.allowed_ips } : {}),
});

/** sha256 (first 16 hex) of what the reviewer judges. */
export function fingerprint(chunk: WireChunk): string {
  const view = {
    rule: chunk.rule_name,
    endpoints: (chunk.proposed_rule?.endpoints ?? []).map(endpointView),
    binaries: (chunk.proposed_rule?.binaries ?? []).map((b) => b.path).sort(),
    binary: chunk.binary,
    rationale: chunk.rationale,
    security_notes: chunk.security_notes,
    validation_result: chunk.validation_result,
  };
  return createHash('sha256').update(JSON.stringify(view)).digest('hex').slice(0, 16);
}

/** The idempotency key: workspace + sandbox + chunk id (+ fingerprint, so a changed proposal is a new approval). */
export function idempotencyKey(b: ChunkBinding): string {
  return `openshell/${b.workspace}/${b.sandbox}/${b.chunkId}/${b.fingerprint}`;
}

/** `POST /v1/actions` body fields for one chunk. */
export function chunkRequest(chunk: WireChunk, sandbox: string, workspace: string) {
  const endpoints = (chunk.proposed_rule?.endpoints ?? []).map(endpointView);
  const first = endpoints[0];
  return {
    action: EGRESS_ACTION,
    resource: `${sandbox}/${chunk.rule_name || chunk.id}`,
    params: {
      sandbox,
      workspace,
      chunk_id: chunk.id,
      rule: chunk.rule_name,
      // The first endpoint bare, so triggers read `host`, `port`, `protocol`, `access`.
      host: first?.host ?? '',
      port: first?.port ?? 0,
      protocol: first?.protocol ?? '',
      access: first?.access ?? '',
      endpoint_count: endpoints.length,
      endpoints,
      binary: chunk.binary || chunk.proposed_rule?.binaries[0]?.path || '',
      rationale: chunk.rationale,
      security_notes: chunk.security_notes,
      hit_count: chunk.hit_count,
      validation_result: chunk.validation_result,
      stage: chunk.stage || 'initial',
      ...(chunk.supersedes_chunk_id ? { supersedes: chunk.supersedes_chunk_id } : {}),
    },
  };
}
