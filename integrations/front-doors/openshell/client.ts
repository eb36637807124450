/**
 * The gateway client: the calls the reviewer needs, over @grpc/grpc-js, with mTLS or a bearer
 * token, a deadline on every unary call, the configured workspace on every call that takes one,
 * and gRPC errors mapped to {@link OpenShellError}.
 */
import { readFileSync } from 'node:fs';
import { credentials, Metadata, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import type { OpenShellConfig } from './config.js';
import { fromGrpc } from './errors.js';
import { openShellService, type WireChunk, type WireCurrentUser, type WireSandbox } from './proto.js';

/** Per-call deadline. */
export const CALL_TIMEOUT_MS = 10_000;

/** A sandbox as the reviewer addresses it: drafts by name, watches by id. */
export interface SandboxRef {
  id: string;
  name: string;
}

export interface GatewayClient {
  /** The sandboxes of the configured workspace. */
  listSandboxes(): Promise<SandboxRef[]>;
  /** Chunks of one sandbox; `status` "" = all. */
  getDraft(sandbox: string, status: '' | 'pending'): Promise<WireChunk[]>;
  /** Approves with the review token the approver's proposal carried (never a fresher one). */
  approve(sandbox: string, chunkId: string, reviewToken: string): Promise<void>;
  reject(sandbox: string, chunkId: string, reason: string): Promise<void>;
  /** Who the gateway says we are. */
  currentUser(): Promise<WireCurrentUser>;
  /**
   * Follows a sandbox's status (`WatchSandbox`, `follow_status`): `onChange` on every snapshot
   * (the gateway sends one on every draft change), `onEnd` once when the stream ends or fails.
   * Returns a function that cancels it.
   */
  watch(sandboxId: string, onChange: () => void, onEnd: (error: unknown | null) => void): () => void;
  /**
   * Calls `ApproveDraftChunk` with an empty sandbox name: the gateway checks the caller's scope
   * and workspace role first and then answers "name is required", so this tells whether we may
   * approve without approving anything. Resolves null when we may, else the refusal.
   */
  probeApprove(): Promise<Error | null>;
  close(): void;
}

type Unary = (req: unknown, md: Metadata, opts: { deadline: Date }, cb: (err: ServiceError | null, res: any) => void) => void;
type Streaming = (req: unknown, md: Metadata) => ClientReadableStream<{ sandbox?: WireSandbox | null; payload?: string }>;

export function createGatewayClient(config: Pick<OpenShellConfig, 'gateway' | 'tls' | 'token' | 'workspace'>): GatewayClient {
  const creds = config.tls
    ? credentials.createSsl(readFileSync(config.tls.ca), readFileSync(config.tls.key), readFileSync(config.tls.cert))
    : credentials.createInsecure();
  const Ctor = openShellService();
  const client = new Ctor(config.gateway, creds) as unknown as Client & Record<string, unknown>;
  const metadata = (): Metadata => {
    const md = new Metadata();
    if (config.token) md.set('authorization', `Bearer ${config.token}`);
    return md;
  };
  const raw = <T>(method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      (client[method] as Unary).call(client, req, metadata(), { deadline: new Date(Date.now() + CALL_TIMEOUT_MS) }, (err: ServiceError | null, res: unknown) =>
        err ? reject(err) : resolve(res as T),
      );
    });
  const call = <T>(method: string, req: unknown): Promise<T> => raw<T>(method, req).catch((err: unknown) => Promise.reject(fromGrpc(err, method, config.gateway)));
  const workspace = config.workspace;
  return {
    async listSandboxes() {
      const found: SandboxRef[] = [];
      for (let offset = 0; ; offset += 100) {
        const res = await call<{ sandboxes: WireSandbox[] }>('ListSandboxes', { limit: 100, offset, workspace });
        for (const s of res.sandboxes) if (s.metadata?.name) found.push({ id: s.metadata.id, name: s.metadata.name });
        if (res.sandboxes.length < 100) return found;
      }
    },
    async getDraft(sandbox, status) {
      const res = await call<{ chunks: WireChunk[] }>('GetDraftPolicy', { name: sandbox, status_filter: status, workspace });
      return res.chunks;
    },
    async approve(sandbox, chunkId, reviewToken) {
      await call('ApproveDraftChunk', { name: sandbox, chunk_id: chunkId, workspace, review_token: reviewToken });
    },
    async reject(sandbox, chunkId, reason) {
      await call('RejectDraftChunk', { name: sandbox, chunk_id: chunkId, reason, workspace });
    },
    currentUser: () => call<WireCurrentUser>('GetCurrentUser', {}),
    watch(sandboxId, onChange, onEnd) {
      const stream = (client['WatchSandbox'] as Streaming).call(client, { id: sandboxId, follow_status: true }, metadata());
      let ended = false;
      const end = (error: unknown | null): void => {
        if (ended) return;
        ended = true;
        onEnd(error === null ? null : fromGrpc(error, 'WatchSandbox', config.gateway));
      };
      stream.on('data', (event: { sandbox?: WireSandbox | null }) => {
        if (event.sandbox) onChange();
      });
      stream.on('error', (error) => end(error));
      stream.on('end', () => end(null));
      return () => {
        ended = true;
        stream.cancel();
      };
    },
    async probeApprove() {
      try {
        await raw('ApproveDraftChunk', { name: '', chunk_id: '', workspace, review_token: '' });
        return null;
      } catch (error) {
        const code = (error as ServiceError).code;
        // 3 INVALID_ARGUMENT ("name is required") comes after the scope and role checks.
        return code === 3 ? null : fromGrpc(error, 'ApproveDraftChunk', config.gateway);
      }
    },
    close: () => client.close(),
  };
}
