/**
 * The gateway client: the four calls the reviewer needs, over @grpc/grpc-js, with mTLS or a
 * bearer token, a deadline on every call and gRPC errors mapped to {@link OpenShellError}.
 */
import { readFileSync } from 'node:fs';
import { credentials, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import type { OpenShellConfig } from './config.js';
import { fromGrpc } from './errors.js';
import { openShellService, type WireChunk } from './proto.js';

/** Per-call deadline. */
export const CALL_TIMEOUT_MS = 10_000;

export interface GatewayClient {
  listSandboxes(): Promise<string[]>;
  /** Chunks of one sandbox; `status` "" = all. */
  getDraft(sandbox: string, status: '' | 'pending'): Promise<WireChunk[]>;
  approve(sandbox: string, chunkId: string, reviewToken: string): Promise<void>;
  reject(sandbox: string, chunkId: string, reason: string): Promise<void>;
  close(): void;
}

type Unary = (req: unknown, md: Metadata, opts: { deadline: Date }, cb: (err: ServiceError | null, res: any) => void) => void;

export function createGatewayClient(config: Pick<OpenShellConfig, 'gateway' | 'tls' | 'token' | 'workspace'>): GatewayClient {
  const creds = config.tls
    ? credentials.createSsl(readFileSync(config.tls.ca), readFileSync(config.tls.key), readFileSync(config.tls.cert))
    : credentials.createInsecure();
  const Ctor = openShellService();
  const client = new Ctor(config.gateway, creds) as Client & Record<string, Unary>;
  const call = <T>(method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const md = new Metadata();
      if (config.token) md.set('authorization', `Bearer ${config.token}`);
      client[method]!.call(client, req, md, { deadline: new Date(Date.now() + CALL_TIMEOUT_MS) }, (err, res) =>
        err ? reject(fromGrpc(err, method, config.gateway)) : resolve(res as T),
      );
    });
  const workspace = config.workspace;
  return {
    async listSandboxes() {
      const names: string[] = [];
      for (let offset = 0; ; offset += 100) {
        const res = await call<{ sandboxes: { metadata: { name: string } | null }[] }>('ListSandboxes', { limit: 100, offset });
        for (const s of res.sandboxes) if (s.metadata?.name) names.push(s.metadata.name);
        if (res.sandboxes.length < 100) return names;
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
    close: () => client.close(),
  };
}
