/**
 * A draft policy chunk as a Countersign request. The request's params are what policies write
 * triggers over (`host == 'api.github.com' AND port == 443`) and what cards show. A chunk's
 * *fingerprint* covers the whole proposed rule (every field upstream defines), what the gateway
 * says about it (rationale, notes, validation, application error) and its review token, which
 * the gateway recomputes from the proposal's live inputs (the sandbox's effective policy, its
 * credentials). The same fingerprint is the same proposal under the same inputs; a new one goes
 * back for review as a new approval, never approved on the strength of an earlier review. Only
 * what churns without changing the proposal is left out: status, hit count, timestamps.
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

/** What a reviewer and a policy see of one endpoint; the security-relevant extras only when set. */
const endpointView = (e: WireEndpoint) => ({
  host: e.host,
  port: e.ports.length > 0 ? e.ports[0]! : e.port,
  ports: e.ports.length > 0 ? e.ports : [e.port],
  protocol: e.protocol || 'l4',
  access: e.access || (e.protocol ? 'custom' : 'full'),
  ...(e.path ? { path: e.path } : {}),
  ...(e.allowed_ips.length ? { allowed_ips: e.allowed_ips } : {}),
  ...(e.rules.length ? { l7_rules: e.rules.length } : {}),
  ...(e.deny_rules.length ? { deny_rules: e.deny_rules.length } : {}),
  ...(e.credential_binding?.provider ? { credential_binding: e.credential_binding.provider } : {}),
  ...(e.allow_uninspected_credentials ? { allow_uninspected_credentials: true } : {}),
  ...(e.websocket_credential_rewrite || e.request_body_credential_rewrite ? { credential_rewrite: true } : {}),
  ...(e.credential_signing ? { credential_signing: e.credential_signing } : {}),
});

/** JSON with object keys sorted at every depth, so equal messages hash equal whatever the map order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 (first 16 hex) of the proposal, what the gateway says about it, and its review token. */
export function fingerprint(chunk: WireChunk): string {
  const view = {
    rule_name: chunk.rule_name,
    proposed_rule: chunk.proposed_rule,
    binary: chunk.binary,
    rationale: chunk.rationale,
    security_notes: chunk.security_notes,
    validation_result: chunk.validation_result,
    application_error: chunk.application_error,
    review_token: chunk.review_token,
  };
  return createHash('sha256').update(canonical(view)).digest('hex').slice(0, 16);
}

/** The idempotency key: workspace + sandbox + chunk id (+ fingerprint, so a changed proposal is a new approval). */
export function idempotencyKey(b: ChunkBinding): string {
  return `openshell/${b.workspace}/${b.sandbox}/${b.chunkId}/${b.fingerprint}`;
}

/**
 * `POST /v1/actions` body fields for one chunk. `reviewedBefore` names the earlier approval of the
 * same chunk when this one is filed because the proposal or its inputs changed since.
 */
export function chunkRequest(chunk: WireChunk, sandbox: string, workspace: string, reviewedBefore?: string) {
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
      // Shown on the card; a chunk the gateway cannot apply is never approved (executor.ts).
      ...(chunk.application_error ? { application_error: chunk.application_error } : {}),
      ...(reviewedBefore ? { changed_since_review: `the proposal or its inputs changed after ${reviewedBefore} was filed: review it again` } : {}),
    },
  };
}
