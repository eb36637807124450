/**
 * A fake OpenShell gateway: a real @grpc/grpc-js server on 127.0.0.1 speaking the adapter's
 * openshell.proto, with the gateway's draft-chunk rules: approve from pending or rejected (with
 * the current review token, else FAILED_PRECONDITION), reject from pending or approved,
 * NOT_FOUND for unknown sandboxes/chunks, a superseding chunk auto-rejects the older one, every
 * decision rotates the token. Hooks rotate tokens and decide out of band. State lives in a
 * {@link GatewayState} that survives `stop()`/`start()` (a gateway restart on the same port).
 */
import { randomUUID } from 'node:crypto';
import { Server, ServerCredentials, status, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { openShellService, type WireChunk } from '../../../integrations/front-doors/openshell/proto.js';

export interface GatewayState {
  /** sandbox → chunks. */
  sandboxes: Map<string, WireChunk[]>;
  /** Every successful Approve/Reject, in order. */
  calls: { method: 'approve' | 'reject'; sandbox: string; chunkId: string; token?: string; reason?: string; workspace: string }[];
  workspace: string;
  token: string | null;
}

export function newState(workspace = 'default', token: string | null = null): GatewayState {
  return { sandboxes: new Map(), calls: [], workspace, token };
}

export function chunk(over: Partial<WireChunk> & { host: string; port?: number; access?: string }): WireChunk {
  const { host, port = 443, access = 'read-only', ...rest } = over;
  return {
    id: randomUUID(),
    status: 'pending',
    rule_name: `allow_${host.replace(/\W/g, '_')}`,
    proposed_rule: {
      name: `allow_${host}`,
      endpoints: [{ host, port, protocol: 'rest', tls: '', enforcement: 'enforce', access, allowed_ips: [], ports: [], path: '' }],
      binaries: [{ path: '/usr/bin/curl' }],
    },
    rationale: `the agent called ${host}`,
    security_notes: '',
    confidence: 0,
    stage: 'initial',
    supersedes_chunk_id: '',
    hit_count: 1,
    binary: '/usr/bin/curl',
    validation_result: 'prover: no new findings',
    rejection_reason: '',
    review_token: randomUUID(),
    created_at_ms: Date.now(),
    decided_at_ms: 0,
    ...rest,
  };
}

type Call = ServerUnaryCall<any, any>;
type Done = sendUnaryData<any>;
const fail = (cb: Done, code: status, details: string) => cb({ code, details, name: 'Error', message: details } as never, null);

export class FakeGateway {
  private server: Server | null = null;
  /** Chunk ids whose next Approve rotates the token first (the token went stale in flight). */
  readonly staleOnce = new Set<string>();
  port = 0;
  constructor(readonly state: GatewayState = newState()) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Adds a chunk; a chunk with `supersedes_chunk_id` auto-rejects the older one. */
  add(sandbox: string, c: WireChunk): WireChunk {
    const list = this.state.sandboxes.get(sandbox) ?? [];
    this.state.sandboxes.set(sandbox, list);
    const older = list.find((o) => o.id === c.supersedes_chunk_id);
    if (older && older.status === 'pending') Object.assign(older, { status: 'rejected', rejection_reason: 'superseded', decided_at_ms: Date.now() });
    list.push(c);
    return c;
  }

  find(sandbox: string, id: string): WireChunk | undefined {
    return this.state.sandboxes.get(sandbox)?.find((c) => c.id === id);
  }

  rotateToken(sandbox: string, id: string): void {
    this.find(sandbox, id)!.review_token = randomUUID();
  }

  /** Decides out of band (another reviewer, auto mode). */
  decide(sandbox: string, id: string, to: 'approved' | 'rejected', reason = ''): void {
    Object.assign(this.find(sandbox, id)!, { status: to, rejection_reason: reason, decided_at_ms: Date.now(), review_token: randomUUID() });
  }

  async start(port = 0): Promise<void> {
    const server = new Server();
    const authed = (call: Call, cb: Done): boolean => {
      if (this.state.token && call.metadata.get('authorization')[0] !== `Bearer ${this.state.token}`) {
        fail(cb, status.UNAUTHENTICATED, 'missing or invalid bearer token');
        return false;
      }
      return true;
    };
    const target = (call: Call, cb: Done): WireChunk | null => {
      if (!authed(call, cb)) return null;
      const req = call.request as { name: string; chunk_id: string; workspace: string };
      if (req.workspace !== this.state.workspace) return fail(cb, status.NOT_FOUND, `workspace ${req.workspace} not found`), null;
      const c = this.find(req.name, req.chunk_id);
      if (!c) return fail(cb, status.NOT_FOUND, `chunk ${req.chunk_id} not found in sandbox ${req.name}`), null;
      return c;
    };
    server.addService(openShellService().service, {
      ListSandboxes: (call: Call, cb: Done) => {
        if (!authed(call, cb)) return;
        cb(null, { sandboxes: [...this.state.sandboxes.keys()].map((name) => ({ metadata: { id: name, name } })) });
      },
      GetDraftPolicy: (call: Call, cb: Done) => {
        if (!authed(call, cb)) return;
        const { name, status_filter: f } = call.request as { name: string; status_filter: string };
        const list = this.state.sandboxes.get(name);
        if (!list) return fail(cb, status.NOT_FOUND, `sandbox ${name} not found`);
        cb(null, { chunks: list.filter((c) => !f || c.status === f), draft_version: list.length });
      },
      ApproveDraftChunk: (call: Call, cb: Done) => {
        const c = target(call, cb);
        if (!c) return;
        const req = call.request as { name: string; review_token: string; workspace: string };
        if (this.staleOnce.delete(c.id)) c.review_token = randomUUID();
        if (req.review_token !== c.review_token) return fail(cb, status.FAILED_PRECONDITION, 'stale review token: re-read the chunk');
        if (c.status !== 'pending' && c.status !== 'rejected') return fail(cb, status.FAILED_PRECONDITION, `chunk is ${c.status}`);
        Object.assign(c, { status: 'approved', decided_at_ms: Date.now(), review_token: randomUUID() });
        this.state.calls.push({ method: 'approve', sandbox: req.name, chunkId: c.id, token: req.review_token, workspace: req.workspace });
        cb(null, { policy_version: this.state.calls.length, policy_hash: 'sha256:fake' });
      },
      RejectDraftChunk: (call: Call, cb: Done) => {
        const c = target(call, cb);
        if (!c) return;
        const req = call.request as { name: string; reason: string; workspace: string };
        if (c.status !== 'pending' && c.status !== 'approved') return fail(cb, status.FAILED_PRECONDITION, `chunk is ${c.status}`);
        Object.assign(c, { status: 'rejected', rejection_reason: req.reason, decided_at_ms: Date.now(), review_token: randomUUID() });
        this.state.calls.push({ method: 'reject', sandbox: req.name, chunkId: c.id, reason: req.reason, workspace: req.workspace });
        cb(null, {});
      },
      GetDraftHistory: (call: Call, cb: Done) => {
        if (!authed(call, cb)) return;
        cb(null, { entries: this.state.calls.map((x) => ({ timestamp_ms: 0, event_type: `${x.method}d`, description: x.reason ?? '', chunk_id: x.chunkId })) });
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    this.server = server;
  }

  /** Stops at once (in-flight calls fail), keeping the state for a restart. */
  async stop(): Promise<void> {
    this.server?.forceShutdown();
    this.server = null;
  }
}
