/**
 * A fake OpenShell gateway: a real @grpc/grpc-js server on 127.0.0.1 speaking its own copy of the
 * upstream protocol (./proto, written from NVIDIA/OpenShell at 2f7fb65591ee; nothing here comes
 * from the adapter), with the gateway's draft-policy rules as upstream's
 * crates/openshell-server/src/grpc/policy.rs states them:
 *
 * - chunk status is a string: pending → approved | rejected; approve from pending or rejected,
 *   reject from pending or approved, each with upstream's FAILED_PRECONDITION text otherwise;
 * - the review token is a SHA-256 over the rule and the sandbox's live inputs (current and
 *   candidate effective policy, attached credentials); approve must present the stored one, and
 *   when the live inputs moved since, the token is refreshed and approve answers "proposal inputs
 *   changed; evaluation refreshed, refetch and review again";
 * - a chunk the gateway cannot apply carries `application_error` and approve answers "proposal is
 *   not applicable: …";
 * - a new proposal rejects older pending ones for the same (host, port, binary) as "superseded by
 *   chunk <id>"; an approval rejects pending chunks the new policy covers as "covered by active
 *   policy revision N"; a mechanistic re-observation folds into its chunk (same id, hit_count up);
 * - every call names its workspace ("" is "default"); a deleted sandbox is NOT_FOUND "sandbox not
 *   found"; bearer tokens map to principals whose scopes (`sandbox:read`, `config:read`,
 *   `config:write`, `openshell:all`) and workspace roles (`user`, `admin`) are checked in
 *   upstream's order, with its messages;
 * - WatchSandbox(id, follow_status) sends a sandbox snapshot at once and on every draft change.
 *
 * State lives in a {@link GatewayState} that survives `stop()`/`start()` (a restart on the same port).
 */
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, Server, ServerCredentials, status, type ServerWritableStream, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

type Json = Record<string, unknown>;

/** A proposed endpoint, in upstream's field names; unset fields are left out. */
export interface Endpoint {
  host: string;
  port?: number;
  protocol?: string;
  access?: string;
  ports?: number[];
  rules?: { allow: Json }[];
  deny_rules?: Json[];
  credential_binding?: { provider: string };
  allow_uninspected_credentials?: boolean;
  [field: string]: unknown;
}

export interface Rule {
  name: string;
  endpoints: Endpoint[];
  binaries: { path: string }[];
}

export interface ChunkRecord {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
  rule_name: string;
  rule: Rule;
  rationale: string;
  security_notes: string;
  confidence: number;
  hit_count: number;
  binary: string;
  validation_result: string;
  rejection_reason: string;
  application_error: string;
  review_token: string;
  created_at_ms: number;
  decided_at_ms: number;
  first_seen_ms: number;
  last_seen_ms: number;
  /** Mechanistic observations fold on `host|port|binary`. */
  dedup_key: string | null;
}

export interface SandboxRecord {
  id: string;
  name: string;
  workspace: string;
  chunks: ChunkRecord[];
  policy: { version: number; rules: Record<string, Rule> };
  /** Attached providers' credentials: part of every review token. */
  credentials: string[];
}

/** Who a bearer token is. `workspaces` maps a workspace to the caller's role in it. */
export interface Principal {
  subject: string;
  display_name?: string;
  scopes: string[];
  roles?: string[];
  workspaces: Record<string, 'user' | 'admin'>;
  identity_provider?: string;
}

export interface GatewayState {
  sandboxes: SandboxRecord[];
  workspaces: Set<string>;
  /** bearer token → principal; null: no authentication (upstream's local-dev principal). */
  principals: Record<string, Principal> | null;
  scopesEnabled: boolean;
  /** A global policy is active: per-sandbox approvals are refused. */
  globalPolicy: boolean;
  /** false: an older gateway without WatchSandbox (UNIMPLEMENTED). */
  watch: boolean;
  /** Every Approve/Reject that succeeded, in order, as the gateway received it. */
  calls: { method: 'approve' | 'reject'; workspace: string; sandbox: string; chunkId: string; token?: string; reason?: string }[];
}

export function newState(options: Partial<Pick<GatewayState, 'principals' | 'scopesEnabled'>> & { workspaces?: string[] } = {}): GatewayState {
  return {
    sandboxes: [],
    workspaces: new Set(['default', ...(options.workspaces ?? [])]),
    principals: options.principals ?? null,
    scopesEnabled: options.scopesEnabled ?? false,
    globalPolicy: false,
    watch: true,
    calls: [],
  };
}

const LOCAL_DEV: Principal = { subject: 'unauthenticated-local-dev', scopes: ['openshell:all'], roles: ['openshell-user', 'openshell-admin'], workspaces: {}, identity_provider: 'local_dev' };

/** JSON with every object's keys sorted: map order never changes a digest. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value as Json).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const policyHash = (policy: SandboxRecord['policy']) => sha256(canonical(policy));
const candidateOf = (sb: SandboxRecord, c: ChunkRecord): SandboxRecord['policy'] => ({ version: sb.policy.version, rules: { ...sb.policy.rules, [c.rule_name]: c.rule } });

/** Upstream's review token: the rule, the current and candidate effective policies, the credentials. */
function reviewToken(sb: SandboxRecord, c: ChunkRecord): string {
  if (c.application_error) return sha256(['openshell-proposal-evaluator-v2-failed', c.rule_name, canonical(c.rule), policyHash(sb.policy), c.application_error].join('\0'));
  return sha256(['openshell-proposal-evaluator-v2', c.rule_name, canonical(c.rule), policyHash(sb.policy), policyHash(candidateOf(sb, c)), ...[...sb.credentials].sort()].join('\0'));
}

/** (host, port, binary) of a rule's first endpoint and binary, as superseding and folding key them. */
function endpointKey(rule: Rule): string | null {
  const e = rule.endpoints[0];
  const binary = rule.binaries[0]?.path ?? '';
  if (!e?.host || !e.port || !binary) return null;
  return `${e.host.toLowerCase()}|${e.port}|${binary}`;
}

/** The active policy already allows every endpoint of `rule` for its binaries. */
function covers(policy: SandboxRecord['policy'], rule: Rule): boolean {
  return rule.endpoints.every((e) =>
    Object.values(policy.rules).some(
      (r) => r.endpoints.some((pe) => pe.host.toLowerCase() === e.host.toLowerCase() && (pe.port ?? 0) === (e.port ?? 0)) && rule.binaries.every((b) => r.binaries.some((pb) => pb.path === b.path)),
    ),
  );
}

/** A proposal to submit: the first endpoint, binary and rationale, plus any endpoint field to set. */
export interface Proposal {
  host: string;
  port?: number;
  access?: string;
  binary?: string;
  ruleName?: string;
  rationale?: string;
  securityNotes?: string;
  validation?: string;
  /** Set when the gateway cannot apply it (upstream: merge failed, candidate invalid, …). */
  applicationError?: string;
  /** `mechanistic` folds repeat observations into one chunk; `agent_authored` always adds one. */
  mode?: 'agent_authored' | 'mechanistic';
  hits?: number;
  endpoint?: Partial<Endpoint>;
}

type Stream = ServerWritableStream<Json, Json>;
type Answer = (error: { code: status; details: string } | null, value?: Json) => void;

let service: ServiceClientConstructor | null = null;
function openShell(): ServiceClientConstructor {
  if (service) return service;
  const dir = fileURLToPath(new URL('./proto/', import.meta.url));
  const def = loadSync('openshell.proto', { includeDirs: [dir], keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  service = (loadPackageDefinition(def) as unknown as { openshell: { v1: { OpenShell: ServiceClientConstructor } } }).openshell.v1.OpenShell;
  return service;
}

class GatewayError extends Error {
  constructor(readonly code: status, readonly details: string) {
    super(details);
  }
}

export class FakeGateway {
  private server: Server | null = null;
  private readonly watchers = new Map<string, Set<Stream>>();
  port = 0;
  constructor(readonly state: GatewayState = newState()) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  // ---- what tests do to the gateway ----

  addSandbox(name: string, workspace = 'default'): SandboxRecord {
    const sb: SandboxRecord = { id: `sbx-${randomUUID()}`, name, workspace, chunks: [], policy: { version: 0, rules: {} }, credentials: [] };
    this.state.workspaces.add(workspace);
    this.state.sandboxes.push(sb);
    return sb;
  }

  sandbox(name: string, workspace = 'default'): SandboxRecord | undefined {
    return this.state.sandboxes.find((s) => s.name === name && s.workspace === workspace);
  }

  deleteSandbox(name: string, workspace = 'default'): void {
    const sb = this.sandbox(name, workspace);
    if (!sb) return;
    this.state.sandboxes.splice(this.state.sandboxes.indexOf(sb), 1);
    for (const stream of this.watchers.get(sb.id) ?? []) stream.end();
    this.watchers.delete(sb.id);
  }

  /** SubmitPolicyAnalysis, as the sandbox's supervisor would call it. */
  submit(sandboxName: string, p: Proposal, workspace = 'default'): ChunkRecord {
    const sb = this.sandbox(sandboxName, workspace) ?? this.addSandbox(sandboxName, workspace);
    this.reconcileCovered(sb);
    const binary = p.binary ?? '/usr/bin/curl';
    const rule: Rule = {
      name: p.ruleName ?? `allow_${p.host.replace(/\W/g, '_')}`,
      endpoints: [{ host: p.host, port: p.port ?? 443, protocol: 'rest', access: p.access ?? 'read-only', ...p.endpoint }],
      binaries: [{ path: binary }],
    };
    const now = Date.now();
    const dedup = p.mode === 'mechanistic' ? endpointKey(rule) : null;
    const folded = dedup ? sb.chunks.find((c) => c.dedup_key === dedup) : undefined;
    if (folded) {
      folded.hit_count += Math.min(100, Math.max(1, p.hits ?? 1));
      folded.last_seen_ms = now;
      if (folded.status === 'pending') folded.review_token = reviewToken(sb, folded);
      this.notify(sb);
      return folded;
    }
    const c: ChunkRecord = {
      id: randomUUID(),
      status: 'pending',
      rule_name: rule.name,
      rule,
      rationale: p.rationale ?? `the agent called ${p.host}`,
      security_notes: p.securityNotes ?? '',
      confidence: p.mode === 'mechanistic' ? 0 : 0.9,
      hit_count: Math.min(100, Math.max(1, p.hits ?? 1)),
      binary,
      validation_result: p.validation ?? 'prover: no new findings',
      rejection_reason: '',
      application_error: p.applicationError ?? '',
      review_token: '',
      created_at_ms: now,
      decided_at_ms: 0,
      first_seen_ms: now,
      last_seen_ms: now,
      dedup_key: dedup,
    };
    c.review_token = reviewToken(sb, c);
    sb.chunks.push(c);
    const key = endpointKey(rule);
    for (const other of sb.chunks) {
      if (other !== c && other.status === 'pending' && key !== null && endpointKey(other.rule) === key) this.decide(other, 'rejected', `superseded by chunk ${c.id}`);
    }
    this.notify(sb);
    return c;
  }

  /** EditDraftChunk: a pending chunk's rule changes (and so does its token). */
  edit(sandboxName: string, id: string, change: (rule: Rule) => void, workspace = 'default'): void {
    const sb = this.sandbox(sandboxName, workspace)!;
    const c = sb.chunks.find((x) => x.id === id)!;
    change(c.rule);
    c.review_token = reviewToken(sb, c);
    this.notify(sb);
  }

  /** Another reviewer, or the gateway's own auto mode, decides. */
  decideOutOfBand(sandboxName: string, id: string, to: 'approved' | 'rejected', reason = '', workspace = 'default'): void {
    const sb = this.sandbox(sandboxName, workspace)!;
    const c = sb.chunks.find((x) => x.id === id)!;
    if (to === 'approved') this.merge(sb, c);
    else this.decide(c, 'rejected', reason);
    this.notify(sb);
  }

  chunk(sandboxName: string, id: string, workspace = 'default'): ChunkRecord | undefined {
    return this.sandbox(sandboxName, workspace)?.chunks.find((c) => c.id === id);
  }

  // ---- the gateway's rules ----

  private decide(c: ChunkRecord, to: 'approved' | 'rejected', reason: string): void {
    c.status = to;
    c.decided_at_ms = Date.now();
    if (reason) c.rejection_reason = reason;
  }

  private merge(sb: SandboxRecord, c: ChunkRecord): void {
    sb.policy = { version: sb.policy.version + 1, rules: { ...sb.policy.rules, [c.rule_name]: c.rule } };
    this.decide(c, 'approved', '');
    c.application_error = '';
    this.reconcileCovered(sb);
  }

  private reconcileCovered(sb: SandboxRecord): void {
    for (const c of sb.chunks) {
      if (c.status === 'pending' && Object.keys(sb.policy.rules).length > 0 && covers(sb.policy, c.rule)) this.decide(c, 'rejected', `covered by active policy revision ${sb.policy.version}`);
    }
  }

  private notify(sb: SandboxRecord): void {
    for (const stream of this.watchers.get(sb.id) ?? []) stream.write({ sandbox: this.wireSandbox(sb) });
  }

  private wireSandbox(sb: SandboxRecord): Json {
    return { metadata: { id: sb.id, name: sb.name, workspace: sb.workspace, created_at_ms: 0 } };
  }

  private wireChunk(sb: SandboxRecord, c: ChunkRecord): Json {
    const candidate = c.application_error ? null : candidateOf(sb, c);
    const wirePolicy = (p: SandboxRecord['policy']) => ({ version: p.version, network_policies: p.rules });
    return {
      id: c.id,
      status: c.status,
      rule_name: c.rule_name,
      proposed_rule: c.rule,
      rationale: c.rationale,
      security_notes: c.security_notes,
      confidence: c.confidence,
      created_at_ms: c.created_at_ms,
      decided_at_ms: c.decided_at_ms,
      hit_count: c.hit_count,
      first_seen_ms: c.first_seen_ms,
      last_seen_ms: c.last_seen_ms,
      binary: c.binary,
      validation_result: c.validation_result,
      rejection_reason: c.rejection_reason,
      application_error: c.application_error,
      review_token: c.review_token,
      current_effective_policy_hash: policyHash(sb.policy),
      candidate_effective_policy_hash: candidate ? policyHash(candidate) : '',
      current_effective_policy: wirePolicy(sb.policy),
      ...(candidate ? { candidate_effective_policy: wirePolicy(candidate) } : {}),
    };
  }

  // ---- authorization, in upstream's order: credential, scope (middleware), workspace role (handler) ----

  private principal(metadata: { get(key: string): unknown[] }): Principal {
    if (this.state.principals === null) return LOCAL_DEV;
    const header = String(metadata.get('authorization')[0] ?? '');
    if (!header) throw new GatewayError(status.UNAUTHENTICATED, 'missing authorization header');
    const who = header.startsWith('Bearer ') ? this.state.principals[header.slice('Bearer '.length)] : undefined;
    if (!who) throw new GatewayError(status.UNAUTHENTICATED, 'invalid bearer token');
    return who;
  }

  private scope(who: Principal, needed: string | null): void {
    if (!this.state.scopesEnabled || needed === null) return;
    if (!who.scopes.includes('openshell:all') && !who.scopes.includes(needed)) throw new GatewayError(status.PERMISSION_DENIED, `scope '${needed}' required`);
  }

  /** authorize_workspace, then resolve_workspace; returns the normalized name. */
  private workspace(who: Principal, requested: string, role: 'user' | 'admin'): string {
    const ws = requested || 'default';
    if (who !== LOCAL_DEV) {
      const held = who.workspaces[ws];
      const fix = (r: string) => `ask a platform admin to run: openshell workspace member add --workspace '${ws}' --subject '${who.subject}' --role ${r}`;
      if (!held) throw new GatewayError(status.PERMISSION_DENIED, `not a member of workspace '${ws}'; ${fix('user')}`);
      if (role === 'admin' && held !== 'admin') throw new GatewayError(status.PERMISSION_DENIED, `workspace role 'admin' required in workspace '${ws}'; ${fix('admin')}`);
    }
    if (!this.state.workspaces.has(ws)) throw new GatewayError(status.NOT_FOUND, `workspace '${ws}' not found`);
    return ws;
  }

  private target(ws: string, name: string, chunkId: string): { sb: SandboxRecord; c: ChunkRecord } {
    const sb = this.sandbox(name, ws);
    if (!sb) throw new GatewayError(status.NOT_FOUND, 'sandbox not found');
    const c = sb.chunks.find((x) => x.id === chunkId);
    if (!c) throw new GatewayError(status.NOT_FOUND, 'chunk not found');
    return { sb, c };
  }

  private handlers() {
    const unary = (scopeNeeded: string | null, fn: (req: Json, who: Principal) => Json) => (call: { request: Json; metadata: { get(key: string): unknown[] } }, cb: Answer) => {
      try {
        const who = this.principal(call.metadata);
        this.scope(who, scopeNeeded);
        cb(null, fn(call.request, who));
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        cb({ code: error.code, details: error.details });
      }
    };
    return {
      GetCurrentUser: unary(null, (_req, who) => ({
        subject: who.subject,
        display_name: who.display_name ?? '',
        roles: who.roles ?? [],
        scopes: who.scopes,
        identity_provider: who.identity_provider ?? 'oidc',
      })),
      ListSandboxes: unary('sandbox:read', (req, who) => {
        if (req.all_workspaces && req.workspace) throw new GatewayError(status.INVALID_ARGUMENT, 'all_workspaces and workspace are mutually exclusive');
        const ws = this.workspace(who, String(req.workspace ?? ''), 'user');
        const all = this.state.sandboxes.filter((s) => s.workspace === ws);
        const offset = Number(req.offset ?? 0);
        const limit = Math.min(Number(req.limit) || 100, 100);
        return { sandboxes: all.slice(offset, offset + limit).map((s) => this.wireSandbox(s)) };
      }),
      GetDraftPolicy: unary('config:read', (req, who) => {
        const ws = this.workspace(who, String(req.workspace ?? ''), 'user');
        const sb = this.sandbox(String(req.name ?? ''), ws);
        if (!sb) throw new GatewayError(status.NOT_FOUND, 'sandbox not found');
        const chunks = sb.chunks.filter((c) => !req.status_filter || c.status === req.status_filter).sort((a, b) => b.created_at_ms - a.created_at_ms);
        return { chunks: chunks.map((c) => this.wireChunk(sb, c)), rolling_summary: '', draft_version: sb.chunks.length, last_analyzed_at_ms: Math.max(0, ...chunks.map((c) => c.created_at_ms)) };
      }),
      ApproveDraftChunk: unary('config:write', (req, who) => {
        const ws = this.workspace(who, String(req.workspace ?? ''), 'admin');
        if (!req.name) throw new GatewayError(status.INVALID_ARGUMENT, 'name is required');
        if (!req.chunk_id) throw new GatewayError(status.INVALID_ARGUMENT, 'chunk_id is required');
        if (this.state.globalPolicy) {
          throw new GatewayError(status.FAILED_PRECONDITION, 'cannot approve rules while a global policy is active; delete the global policy to manage per-sandbox rules');
        }
        const { sb, c } = this.target(ws, String(req.name), String(req.chunk_id));
        if (c.status !== 'pending' && c.status !== 'rejected') throw new GatewayError(status.FAILED_PRECONDITION, `chunk status is '${c.status}', expected 'pending' or 'rejected'`);
        if (c.review_token && req.review_token !== c.review_token) {
          throw new GatewayError(status.FAILED_PRECONDITION, 'review token does not match the fetched proposal; refetch and review again');
        }
        if (c.application_error) throw new GatewayError(status.FAILED_PRECONDITION, `proposal is not applicable: ${c.application_error}`);
        const live = reviewToken(sb, c);
        if (live !== c.review_token) {
          c.review_token = live;
          this.notify(sb);
          throw new GatewayError(status.FAILED_PRECONDITION, 'proposal inputs changed; evaluation refreshed, refetch and review again');
        }
        this.merge(sb, c);
        this.state.calls.push({ method: 'approve', workspace: ws, sandbox: sb.name, chunkId: c.id, token: String(req.review_token) });
        this.notify(sb);
        return { policy_version: sb.policy.version, policy_hash: `sha256:${policyHash(sb.policy)}` };
      }),
      RejectDraftChunk: unary('config:write', (req, who) => {
        const ws = this.workspace(who, String(req.workspace ?? ''), 'admin');
        if (!req.name) throw new GatewayError(status.INVALID_ARGUMENT, 'name is required');
        if (!req.chunk_id) throw new GatewayError(status.INVALID_ARGUMENT, 'chunk_id is required');
        const { sb, c } = this.target(ws, String(req.name), String(req.chunk_id));
        if (c.status !== 'pending' && c.status !== 'approved') throw new GatewayError(status.FAILED_PRECONDITION, `chunk status is '${c.status}', expected 'pending' or 'approved'`);
        if (c.status === 'approved') {
          const { [c.rule_name]: _removed, ...rest } = sb.policy.rules;
          sb.policy = { version: sb.policy.version + 1, rules: rest };
        }
        this.decide(c, 'rejected', String(req.reason ?? ''));
        this.state.calls.push({ method: 'reject', workspace: ws, sandbox: sb.name, chunkId: c.id, reason: String(req.reason ?? '') });
        this.notify(sb);
        return {};
      }),
      WatchSandbox: (stream: Stream) => {
        if (!this.state.watch) return void stream.emit('error', { code: status.UNIMPLEMENTED, details: 'unknown method WatchSandbox' });
        try {
          const who = this.principal(stream.metadata);
          this.scope(who, 'sandbox:read');
          const sb = this.state.sandboxes.find((s) => s.id === stream.request.id);
          if (!sb) throw new GatewayError(status.NOT_FOUND, 'sandbox not found');
          if (who !== LOCAL_DEV && !who.workspaces[sb.workspace]) throw new GatewayError(status.NOT_FOUND, 'sandbox not found');
          const set = this.watchers.get(sb.id) ?? new Set<Stream>();
          this.watchers.set(sb.id, set);
          set.add(stream);
          stream.on('cancelled', () => set.delete(stream));
          stream.write({ sandbox: this.wireSandbox(sb) });
        } catch (error) {
          if (!(error instanceof GatewayError)) throw error;
          stream.emit('error', { code: error.code, details: error.details });
        }
      },
    };
  }

  async start(port = 0): Promise<void> {
    const server = new Server();
    server.addService(openShell().service, this.handlers() as never);
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    this.server = server;
  }

  /** Stops at once (in-flight calls fail), keeping the state for a restart. */
  async stop(): Promise<void> {
    for (const set of this.watchers.values()) for (const stream of set) stream.end();
    this.watchers.clear();
    this.server?.forceShutdown();
    this.server = null;
  }
}

/**
 * A chunk as a client decodes it (snake_case, proto3 defaults filled in), for tests that build
 * requests without a gateway. Written from upstream's PolicyChunk, not from the adapter's types.
 */
export function decodedChunk(p: Proposal & { id?: string }): Json {
  const endpoint = {
    host: p.host, port: p.port ?? 443, protocol: 'rest', tls: '', enforcement: '', access: p.access ?? 'read-only', rules: [], allowed_ips: [], ports: [], deny_rules: [],
    allow_encoded_slash: false, persisted_queries: '', graphql_persisted_queries: {}, graphql_max_body_bytes: 0, path: '', websocket_credential_rewrite: false,
    request_body_credential_rewrite: false, advisor_proposed: false, credential_signing: '', signing_service: '', signing_region: '', json_rpc_max_body_bytes: 0,
    mcp: null, credential_binding: null, allow_uninspected_credentials: false, provider_credentialed: false, ...p.endpoint,
  };
  const binary = p.binary ?? '/usr/bin/curl';
  return {
    id: p.id ?? randomUUID(), status: 'pending', rule_name: p.ruleName ?? `allow_${p.host.replace(/\W/g, '_')}`,
    proposed_rule: { name: p.ruleName ?? `allow_${p.host}`, endpoints: [endpoint], binaries: [{ path: binary, harness: false }] },
    rationale: p.rationale ?? `the agent called ${p.host}`, security_notes: p.securityNotes ?? '', confidence: 0.9, denial_summary_ids: [], created_at_ms: Date.now(), decided_at_ms: 0,
    stage: '', supersedes_chunk_id: '', hit_count: p.hits ?? 1, first_seen_ms: 0, last_seen_ms: 0, binary, validation_result: p.validation ?? 'prover: no new findings',
    rejection_reason: '', application_error: p.applicationError ?? '', review_token: randomUUID(), current_effective_policy_hash: '', candidate_effective_policy_hash: '',
    current_effective_policy: null, candidate_effective_policy: null,
  };
}

/** The fake's own copy of the upstream layout, for tests that decode bytes the way a gateway writes them. */
export function upstreamLayout(): { encodeDraft(chunks: Json[]): Uint8Array } {
  return {
    encodeDraft(chunks) {
      const method = (openShell().service as unknown as Record<string, { responseSerialize(v: Json): Buffer }>)['GetDraftPolicy']!;
      return method.responseSerialize({ chunks });
    },
  };
}
