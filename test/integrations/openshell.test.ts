/**
 * End to end through the real service: startService with only the OpenShell integration, the
 * shared Temporal dev server, a real worker, temp config/policy/data dirs, and the fake gateway
 * (a real gRPC server). A chunk appears → an approval (card in the web channel) → an approver
 * decides over the HTTP API → the signed callback → the gateway shows the verdict.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionId } from '../../core/crypto/index.js';
import {
  createOpenShellIntegration,
  fingerprint,
  idempotencyKey,
  type WireChunk,
} from '../../integrations/front-doors/openshell/index.js';
import { loadServiceConfig, startService, type RunningService } from '../../server/index.js';
import { captureLogger, eventually } from '../api/harness.js';
import { chunk, FakeGateway } from '../fakes/openshell/gateway.js';
import { temporalAddress, temporalNamespace, uniqueTaskQueue } from '../support/temporal.js';

const KEY = 'openshell-agent-key-000000001';
const SECRET = 'openshell-callback-secret-0001';
const ALICE = 'test-approver-token-alice-001';
const CONFIG = `agents:
  - { id: openshell, tenant: acme, blueprints: [openshell-e2e], apiKey: ${KEY}, callbackSecret: ${SECRET} }
approvers:
  - { id: alice, name: Alice, tenants: [acme], token: ${ALICE} }
groups:
  platform-engineer: [alice]
`;
const POLICY = `blueprint: openshell-e2e
security:
  permissions:
    execute:
      - action: "sandbox.egress"
        condition: "host == 'api.github.com' AND port == 443 AND access == 'read-only'"
        approval: auto
      - action: "sandbox.egress"
        condition: "host == 'slow.example.com'"
        approval: platform-engineer
        sla: 3s
      - action: "sandbox.egress"
        condition: "port == 443"
        approval: platform-engineer
        sla: 1h
`;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let dir: string;
let gateway: FakeGateway;
let service: RunningService;
const log = captureLogger('info');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-openshell-'));
  await mkdir(path.join(dir, 'policies'));
  await writeFile(path.join(dir, 'policies', 'openshell-e2e.yaml'), POLICY);
  await writeFile(path.join(dir, 'countersign.yaml'), CONFIG);
  gateway = new FakeGateway();
  await gateway.start();
  const port = await freePort();
  const env = { COUNTERSIGN_PORT: String(port), COUNTERSIGN_DATA_DIR: path.join(dir, 'data'), COUNTERSIGN_POLICY_DIR: path.join(dir, 'policies'), COUNTERSIGN_CONFIG: 'countersign.yaml', TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: temporalNamespace() };
  const config = loadServiceConfig({ cwd: dir, env });
  const integration = createOpenShellIntegration({
    env: { OPENSHELL_GATEWAY: gateway.address, OPENSHELL_POLL_INTERVAL: '1s', OPENSHELL_BLUEPRINT: 'openshell-e2e', OPENSHELL_AGENT: 'openshell', OPENSHELL_API_KEY: KEY, OPENSHELL_CALLBACK_SECRET: SECRET },
    approvers: config.approvers,
    groups: config.groups,
    logger: log.logger,
    dataDir: config.dataDir,
    publicUrl: `http://127.0.0.1:${port}`,
  });
  service = await startService({ config, logger: log.logger, embedded: false, taskQueue: uniqueTaskQueue('openshell'), integrations: [integration!] });
});
afterAll(async () => {
  await service?.close();
  await gateway?.stop();
  await rm(dir, { recursive: true, force: true });
});

const idOf = (sandbox: string, c: WireChunk) => actionId('acme', idempotencyKey({ workspace: 'default', sandbox, chunkId: c.id, fingerprint: fingerprint(c) }));
/** Reads as the OpenShell agent (it sees its own actions), decides as alice. */
async function api(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${service.url}${p}`, { method, headers: { authorization: `Bearer ${method === 'GET' ? KEY : ALICE}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: await res.json() };
}
/** The approval once its card is up in the web channel. */
const pendingCard = (id: string) => eventually(async () => {
  const r = await api('GET', `/v1/actions/${id}`);
  return r.status === 200 && r.body.status === 'pending' && r.body.channel === 'web' && r.body.history.some((h: any) => h.event === 'posted') && r.body;
}, 30_000);
const decide = (id: string, decision: 'approve' | 'deny', reason?: string) => api('POST', `/v1/actions/${id}/decision`, { decision, ...(reason ? { reason } : {}) });
const delivered = (id: string) => eventually(async () => (await api('GET', `/v1/actions/${id}`)).body.delivered === true, 30_000);
const gatewayStatus = (sandbox: string, c: WireChunk, status: string) => eventually(async () => gateway.find(sandbox, c.id)!.status === status, 30_000);

describe('OpenShell reviewer, end to end', { timeout: 90_000 }, () => {
  it('approves: chunk → web card → approver approves → gateway approved with the current review token', async () => {
    const c = gateway.add('sb-approve', chunk({ host: 'example.com' }));
    const id = idOf('sb-approve', c);
    const card = await pendingCard(id);
    expect(card.approvers).toEqual(['platform-engineer']);
    const token = c.review_token;
    expect((await decide(id, 'approve')).body.state.status).toBe('approved');
    await gatewayStatus('sb-approve', c, 'approved');
    expect(gateway.state.calls.filter((x) => x.chunkId === c.id)).toEqual([{ method: 'approve', sandbox: 'sb-approve', chunkId: c.id, token, workspace: 'default' }]);
    await delivered(id);
    const history = (await api('GET', `/v1/actions/${id}`)).body.history;
    expect(history.find((h: any) => h.event === 'approved').who).toBe('alice');
  });

  it('rejects with the approver reason the agent will see', async () => {
    const c = gateway.add('sb-reject', chunk({ host: 'deny.example.com' }));
    const id = idOf('sb-reject', c);
    await pendingCard(id);
    await decide(id, 'deny', 'not needed for this task');
    await gatewayStatus('sb-reject', c, 'rejected');
    expect(gateway.find('sb-reject', c.id)!.rejection_reason).toBe('not needed for this task');
  });

  it('rejects with "expired" when nobody decides within the SLA', async () => {
    const c = gateway.add('sb-expire', chunk({ host: 'slow.example.com' }));
    await gatewayStatus('sb-expire', c, 'rejected');
    expect(gateway.find('sb-expire', c.id)!.rejection_reason).toBe('expired');
    expect((await api('GET', `/v1/actions/${idOf('sb-expire', c)}`)).body.status).toBe('expired');
  });

  it('auto-approves what the policy allows without asking anyone', async () => {
    const c = gateway.add('sb-auto', chunk({ host: 'api.github.com' }));
    await gatewayStatus('sb-auto', c, 'approved');
    expect((await api('GET', `/v1/actions/${idOf('sb-auto', c)}`)).body.history.some((h: any) => h.event === 'posted')).toBe(false);
  });

  it('re-reads on a stale review token and approves with the fresh one', async () => {
    const c = gateway.add('sb-token', chunk({ host: 'token.example.com' }));
    const id = idOf('sb-token', c);
    await pendingCard(id);
    gateway.rotateToken('sb-token', c.id); // rotated before the decision
    gateway.staleOnce.add(c.id); // and again while the approve is in flight
    await decide(id, 'approve');
    await gatewayStatus('sb-token', c, 'approved');
    const calls = gateway.state.calls.filter((x) => x.chunkId === c.id);
    expect(calls).toHaveLength(1);
    expect(log.text()).toContain('stale review token, re-reading the chunk');
  });

  it('never approves a proposal that changed after review: the change is filed as a new approval', async () => {
    const c = gateway.add('sb-changed', chunk({ host: 'changed.example.com' }));
    const oldId = idOf('sb-changed', c);
    await pendingCard(oldId);
    c.proposed_rule!.endpoints[0]!.access = 'full'; // EditDraftChunk-style change
    const newId = idOf('sb-changed', c);
    expect(newId).not.toBe(oldId);
    await pendingCard(newId);
    await decide(oldId, 'approve');
    await delivered(oldId);
    expect(gateway.find('sb-changed', c.id)!.status).toBe('pending');
    await decide(newId, 'approve');
    await gatewayStatus('sb-changed', c, 'approved');
    expect(gateway.state.calls.filter((x) => x.chunkId === c.id)).toHaveLength(1);
  });

  it('closes approvals decided out of band (or superseded) at the gateway and never executes them', async () => {
    const c = gateway.add('sb-oob', chunk({ host: 'oob.example.com' }));
    const id = idOf('sb-oob', c);
    await pendingCard(id);
    gateway.decide('sb-oob', c.id, 'rejected', 'operator said no');
    const older = gateway.add('sb-oob', chunk({ host: 'old.example.com' }));
    const olderId = idOf('sb-oob', older);
    await pendingCard(olderId);
    gateway.add('sb-oob', chunk({ host: 'old.example.com', stage: 'refined', supersedes_chunk_id: older.id }));
    expect(older.status).toBe('rejected');
    for (const closed of [id, olderId]) {
      const state = await eventually(async () => {
        const r = await api('GET', `/v1/actions/${closed}`);
        return r.body.status === 'denied' && r.body;
      }, 30_000);
      expect(state.reason).toMatch(/^decided elsewhere \(openshell\): the chunk was rejected \((operator said no|superseded)\) at the gateway$/);
      expect(state.history.find((h: any) => h.event === 'denied').who).toBe('system');
      expect((await decide(closed, 'approve')).status).toBe(409);
      await delivered(closed);
    }
    expect(gateway.find('sb-oob', c.id)!.status).toBe('rejected');
    expect(older.status).toBe('rejected');
    expect(gateway.state.calls.filter((x) => x.chunkId === c.id || x.chunkId === older.id)).toEqual([]);
  });

  it('survives a gateway restart mid-approval: the callback is retried until the gateway is back', async () => {
    const c = gateway.add('sb-restart', chunk({ host: 'restart.example.com' }));
    const id = idOf('sb-restart', c);
    await pendingCard(id);
    const port = gateway.port;
    await gateway.stop();
    await decide(id, 'approve');
    await eventually(async () => log.text().includes('OPENSHELL_UNREACHABLE'), 30_000);
    gateway = new FakeGateway(gateway.state);
    await gateway.start(port);
    await gatewayStatus('sb-restart', c, 'approved');
    expect(gateway.state.calls.filter((x) => x.chunkId === c.id)).toHaveLength(1);
  });

  it('refuses a callback without a valid signature', async () => {
    const res = await fetch(`${service.url}/v1/integrations/openshell/callback?ws=default&sb=x&ck=y&fp=z`, { method: 'POST', headers: { 'content-type': 'application/json', 'Countersign-Timestamp': String(Math.floor(Date.now() / 1000)), 'Countersign-Signature': 'v1=00' }, body: '{}' });
    expect(res.status).toBe(401);
  });
});
