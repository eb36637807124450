/**
 * End to end through the real service: startService with only the OpenShell integration, the
 * shared Temporal dev server, a real worker, temp config/policy/data dirs, and the fake gateway
 * (a real gRPC server written from the upstream protocol, sharing nothing with the adapter). A
 * chunk appears → an approval (card in the web channel) → an approver decides over the HTTP API
 * → the signed callback → the gateway shows the verdict. Everything runs in workspace `team-a`,
 * beside a `default` workspace holding a sandbox of the same name that must never be touched.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionId } from '../../core/crypto/index.js';
import {
  createGatewayClient,
  createOpenShellIntegration,
  fingerprint,
  idempotencyKey,
  openShellService,
  portSubmitter,
  type GatewayClient,
} from '../../integrations/front-doors/openshell/index.js';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';
import { ApiError, ErrorCode } from '../../api/errors.js';
import type { SubmitAction } from '../../core/index.js';
import { Health } from '../../infra/health.js';
import { createPoller } from '../../integrations/front-doors/openshell/poller.js';
import { Ledger } from '../../integrations/front-doors/openshell/ledger.js';
import { loadServiceConfig, startService, type RunningService } from '../../server/index.js';
import { captureLogger, eventually } from '../api/harness.js';
import { FakeGateway, newState, upstreamLayout, type ChunkRecord, type Principal } from '../fakes/openshell/gateway.js';
import { temporalAddress, temporalNamespace, uniqueTaskQueue } from '../support/temporal.js';

const KEY = 'openshell-agent-key-000000001';
const SECRET = 'openshell-callback-secret-0001';
const ALICE = 'test-approver-token-alice-001';
const WS = 'team-a';
const REVIEWER: Principal = { subject: 'countersign-reviewer', display_name: 'Countersign', scopes: ['sandbox:read', 'config:read', 'config:write'], workspaces: { [WS]: 'admin' } };
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
/** The adapter's own client, to compute approval ids from chunks exactly as the poller does. */
let reader: GatewayClient;
const log = captureLogger('info');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'countersign-openshell-'));
  await mkdir(path.join(dir, 'policies'));
  await writeFile(path.join(dir, 'policies', 'openshell-e2e.yaml'), POLICY);
  await writeFile(path.join(dir, 'countersign.yaml'), CONFIG);
  gateway = new FakeGateway(newState({ principals: { 'reviewer-token': REVIEWER }, scopesEnabled: true, workspaces: [WS] }));
  await gateway.start();
  const port = await freePort();
  const env = { COUNTERSIGN_PORT: String(port), COUNTERSIGN_DATA_DIR: path.join(dir, 'data'), COUNTERSIGN_POLICY_DIR: path.join(dir, 'policies'), COUNTERSIGN_CONFIG: 'countersign.yaml', TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_NAMESPACE: temporalNamespace() };
  const config = loadServiceConfig({ cwd: dir, env });
  const openshellEnv = {
    OPENSHELL_GATEWAY: gateway.address, OPENSHELL_TOKEN: 'reviewer-token', OPENSHELL_WORKSPACE: WS, OPENSHELL_POLL_INTERVAL: '1s',
    OPENSHELL_BLUEPRINT: 'openshell-e2e', OPENSHELL_AGENT: 'openshell', OPENSHELL_API_KEY: KEY, OPENSHELL_CALLBACK_SECRET: SECRET,
  };
  const integration = createOpenShellIntegration({ env: openshellEnv, approvers: config.approvers, groups: config.groups, logger: log.logger, dataDir: config.dataDir, publicUrl: `http://127.0.0.1:${port}` });
  reader = createGatewayClient({ gateway: gateway.address, tls: null, token: 'reviewer-token', workspace: WS });
  service = await startService({ config, logger: log.logger, embedded: false, taskQueue: uniqueTaskQueue('openshell'), integrations: [integration!] });
});
afterAll(async () => {
  reader?.close();
  await service?.close();
  await gateway?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The approval id the poller files for the chunk as the gateway shows it now. */
async function idOf(sandbox: string, c: ChunkRecord): Promise<string> {
  const wire = (await reader.getDraft(sandbox, '')).find((x) => x.id === c.id)!;
  return actionId('acme', idempotencyKey({ workspace: WS, sandbox, chunkId: c.id, fingerprint: fingerprint(wire) }));
}
/** Reads as the OpenShell agent (it sees its own actions), decides as alice. */
async function api(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${service.url}${p}`, { method, headers: { authorization: `Bearer ${method === 'GET' ? KEY : ALICE}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: await res.json() };
}
const state = async (id: string) => (await api('GET', `/v1/actions/${id}`)).body;
/** The approval once its card is up in the web channel. */
const pendingCard = (id: string) => eventually(async () => {
  const r = await api('GET', `/v1/actions/${id}`);
  return r.status === 200 && r.body.status === 'pending' && r.body.channel === 'web' && r.body.history.some((h: any) => h.event === 'posted') && r.body;
}, 30_000);
const decide = (id: string, decision: 'approve' | 'deny', reason?: string) => api('POST', `/v1/actions/${id}/decision`, { decision, ...(reason ? { reason } : {}) });
const delivered = (id: string) => eventually(async () => (await state(id)).delivered === true, 30_000);
const atGateway = (sandbox: string, c: ChunkRecord, status: string) => eventually(() => gateway.chunk(sandbox, c.id, WS)?.status === status, 30_000);
const closedElsewhere = (id: string) => eventually(async () => {
  const s = await state(id);
  return s.status === 'denied' && s.reason.startsWith('decided elsewhere (openshell): ') && s;
}, 30_000);
const callsFor = (c: ChunkRecord) => gateway.state.calls.filter((x) => x.chunkId === c.id);

describe('OpenShell reviewer, end to end', { timeout: 90_000 }, () => {
  it('approves with the review token of field 20, in its workspace, and leaves the same-named sandbox of another workspace alone', async () => {
    const untouched = gateway.submit('sb-approve', { host: 'example.com' }, 'default');
    const c = gateway.submit('sb-approve', { host: 'example.com' }, WS);
    const id = await idOf('sb-approve', c);
    const card = await pendingCard(id);
    expect(card.approvers).toEqual(['platform-engineer']);
    expect(card.request.params).toMatchObject({ sandbox: 'sb-approve', workspace: WS, chunk_id: c.id, host: 'example.com', port: 443 });
    const token = c.review_token;
    expect((await decide(id, 'approve')).body.state.status).toBe('approved');
    await atGateway('sb-approve', c, 'approved');
    expect(callsFor(c)).toEqual([{ method: 'approve', workspace: WS, sandbox: 'sb-approve', chunkId: c.id, token }]);
    await delivered(id);
    expect((await state(id)).history.find((h: any) => h.event === 'approved').who).toBe('alice');
    expect(untouched.status).toBe('pending');
    expect(gateway.state.calls.every((x) => x.workspace === WS)).toBe(true);
  });

  it('rejects with the approver reason the agent will see', async () => {
    const c = gateway.submit('sb-reject', { host: 'deny.example.com' }, WS);
    const id = await idOf('sb-reject', c);
    await pendingCard(id);
    await decide(id, 'deny', 'not needed for this task');
    await atGateway('sb-reject', c, 'rejected');
    expect(c.rejection_reason).toBe('not needed for this task');
  });

  it('rejects with "expired" when nobody decides within the SLA', async () => {
    const c = gateway.submit('sb-expire', { host: 'slow.example.com' }, WS);
    await atGateway('sb-expire', c, 'rejected');
    expect(c.rejection_reason).toBe('expired');
  });

  it('auto-approves what the policy allows without asking anyone', async () => {
    const c = gateway.submit('sb-auto', { host: 'api.github.com' }, WS);
    const id = await idOf('sb-auto', c);
    await atGateway('sb-auto', c, 'approved');
    expect((await state(id)).history.some((h: any) => h.event === 'posted')).toBe(false);
  });

  it('a review token that changed after review files the proposal again, marked as changed; it is never approved unseen', async () => {
    // Two proposals of one sandbox: approving the first changes the second's live inputs.
    const first = gateway.submit('sb-token', { host: 'one.example.com' }, WS);
    const second = gateway.submit('sb-token', { host: 'two.example.com' }, WS);
    const firstId = await idOf('sb-token', first);
    const staleId = await idOf('sb-token', second);
    await pendingCard(firstId);
    await pendingCard(staleId);
    await decide(firstId, 'approve');
    await atGateway('sb-token', first, 'approved');
    const reviewedToken = second.review_token;

    await decide(staleId, 'approve');
    await delivered(staleId);
    expect(second.status).toBe('pending');
    expect(second.review_token).not.toBe(reviewedToken); // the gateway refreshed it
    expect(callsFor(second)).toEqual([]);
    expect(log.text()).toContain('proposal inputs changed; evaluation refreshed, refetch and review again');

    const againId = await idOf('sb-token', second);
    expect(againId).not.toBe(staleId);
    const again = await pendingCard(againId);
    expect(again.request.params.changed_since_review).toBe(`the proposal or its inputs changed after ${staleId} was filed: review it again`);
    await decide(againId, 'approve');
    await atGateway('sb-token', second, 'approved');
    expect(callsFor(second)).toEqual([expect.objectContaining({ method: 'approve', token: second.review_token })]);
  });

  it('an edited proposal is filed as a new approval; the old one is never executed', async () => {
    const c = gateway.submit('sb-changed', { host: 'changed.example.com' }, WS);
    const oldId = await idOf('sb-changed', c);
    await pendingCard(oldId);
    gateway.edit('sb-changed', c.id, (rule) => void (rule.endpoints[0]!.access = 'full'), WS);
    const newId = await idOf('sb-changed', c);
    expect(newId).not.toBe(oldId);
    await closedElsewhere(oldId);
    await pendingCard(newId);
    await decide(newId, 'approve');
    await atGateway('sb-changed', c, 'approved');
    expect(callsFor(c)).toHaveLength(1);
  });

  it('a credential binding added to an endpoint changes the proposal: it is reviewed again', async () => {
    const c = gateway.submit('sb-creds', { host: 'creds.example.com' }, WS);
    const oldId = await idOf('sb-creds', c);
    await pendingCard(oldId);
    gateway.edit('sb-creds', c.id, (rule) => void (rule.endpoints[0]!.credential_binding = { provider: 'github' }), WS);
    const newId = await idOf('sb-creds', c);
    expect(newId).not.toBe(oldId);
    expect((await pendingCard(newId)).request.params.endpoints[0]).toMatchObject({ credential_binding: 'github' });
  });

  it('a chunk the gateway cannot apply is shown with its application error and cannot be approved', async () => {
    const c = gateway.submit('sb-na', { host: 'na.example.com', applicationError: 'merge failed: endpoint na.example.com:443 has no L7 inspection' }, WS);
    const id = await idOf('sb-na', c);
    const closed = await closedElsewhere(id);
    expect(closed.request.params.application_error).toBe('merge failed: endpoint na.example.com:443 has no L7 inspection');
    expect(closed.reason).toBe('decided elsewhere (openshell): the gateway cannot apply this proposal: merge failed: endpoint na.example.com:443 has no L7 inspection');
    expect((await decide(id, 'approve')).status).toBe(409);
    await delivered(id);
    expect(c.status).toBe('pending');
    expect(callsFor(c)).toEqual([]);
  });

  it('superseded and covered chunks close as decided elsewhere, and are never executed', async () => {
    const older = gateway.submit('sb-sup', { host: 'sup.example.com', rationale: 'first look' }, WS);
    const olderId = await idOf('sb-sup', older);
    await pendingCard(olderId);
    const newer = gateway.submit('sb-sup', { host: 'sup.example.com', rationale: 'a closer look' }, WS);
    expect(older).toMatchObject({ status: 'rejected', rejection_reason: `superseded by chunk ${newer.id}` });
    expect((await closedElsewhere(olderId)).reason).toBe(`decided elsewhere (openshell): the chunk was rejected (superseded by chunk ${newer.id}) at the gateway`);

    const covered = gateway.submit('sb-sup', { host: 'cov.example.com', port: 443 }, WS);
    const coveredId = await idOf('sb-sup', covered);
    await pendingCard(coveredId);
    const wide = gateway.submit('sb-sup', { host: 'other.example.com', endpoint: {} }, WS);
    gateway.edit('sb-sup', wide.id, (rule) => void rule.endpoints.push({ host: 'cov.example.com', port: 443, protocol: 'rest', access: 'read-only' }), WS);
    const wideId = await idOf('sb-sup', wide);
    await pendingCard(wideId);
    await decide(wideId, 'approve');
    await atGateway('sb-sup', wide, 'approved');
    expect(covered.rejection_reason).toMatch(/^covered by active policy revision \d+$/);
    expect((await closedElsewhere(coveredId)).reason).toBe(`decided elsewhere (openshell): the chunk was rejected (${covered.rejection_reason}) at the gateway`);
    expect([...callsFor(older), ...callsFor(covered)]).toEqual([]);
  });

  it('a repeated mechanistic observation folds into its chunk and its one approval', async () => {
    const c = gateway.submit('sb-fold', { host: 'fold.example.com', mode: 'mechanistic' }, WS);
    const id = await idOf('sb-fold', c);
    await pendingCard(id);
    expect(gateway.submit('sb-fold', { host: 'fold.example.com', mode: 'mechanistic', hits: 3 }, WS)).toBe(c);
    expect(c.hit_count).toBe(4);
    expect(await idOf('sb-fold', c)).toBe(id);
    await new Promise((r) => setTimeout(r, 1500)); // a poll cycle sees the fold
    expect((await state(id)).status).toBe('pending');
  });

  it('a deleted sandbox does not stop the others being reviewed', async () => {
    const doomed = gateway.submit('sb-doomed', { host: 'doomed.example.com' }, WS);
    const doomedId = await idOf('sb-doomed', doomed);
    await pendingCard(doomedId);
    gateway.deleteSandbox('sb-doomed', WS);
    expect((await closedElsewhere(doomedId)).reason).toBe('decided elsewhere (openshell): the chunk was removed at the gateway');
    const alive = gateway.submit('sb-alive', { host: 'alive.example.com' }, WS);
    const aliveId = await idOf('sb-alive', alive);
    await pendingCard(aliveId);
    await decide(aliveId, 'approve');
    await atGateway('sb-alive', alive, 'approved');
  });

  it('closes approvals decided out of band at the gateway and never executes them', async () => {
    const c = gateway.submit('sb-oob', { host: 'oob.example.com' }, WS);
    const id = await idOf('sb-oob', c);
    await pendingCard(id);
    gateway.decideOutOfBand('sb-oob', c.id, 'rejected', 'operator said no', WS);
    const closed = await closedElsewhere(id);
    expect(closed.reason).toBe('decided elsewhere (openshell): the chunk was rejected (operator said no) at the gateway');
    expect(closed.history.find((h: any) => h.event === 'denied').who).toBe('system');
    expect((await decide(id, 'approve')).status).toBe(409);
    await delivered(id);
    expect(callsFor(c)).toEqual([]);
  });

  it('survives a gateway restart mid-approval: the callback is retried until the gateway is back', async () => {
    const c = gateway.submit('sb-restart', { host: 'restart.example.com' }, WS);
    const id = await idOf('sb-restart', c);
    await pendingCard(id);
    const port = gateway.port;
    await gateway.stop();
    await decide(id, 'approve');
    await eventually(async () => log.text().includes('OPENSHELL_UNREACHABLE'), 30_000);
    gateway = new FakeGateway(gateway.state);
    await gateway.start(port);
    await atGateway('sb-restart', c, 'approved');
    expect(callsFor(c)).toHaveLength(1);
  });

  it('refuses a callback without a valid signature', async () => {
    const res = await fetch(`${service.url}/v1/integrations/openshell/callback?ws=${WS}&sb=x&ck=y&fp=z`, { method: 'POST', headers: { 'content-type': 'application/json', 'Countersign-Timestamp': String(Math.floor(Date.now() / 1000)), 'Countersign-Signature': 'v1=00' }, body: '{}' });
    expect(res.status).toBe(401);
  });
});

describe('the adapter decodes what a gateway encodes', () => {
  it('a PolicyChunk encoded with an independent copy of the upstream layout (fields 1-24) decodes with the review token and the application error', () => {
    const encoded = upstreamLayout().encodeDraft([
      {
        id: 'chunk-x', status: 'rejected', rule_name: 'allow_example', binary: '/usr/bin/curl', rejection_reason: 'scope too broad',
        validation_result: 'no exfil paths', application_error: 'candidate invalid: malformed GraphQL operation', review_token: 'review-v1',
        current_effective_policy_hash: 'current-hash', candidate_effective_policy_hash: 'candidate-hash', hit_count: 7, confidence: 0.5,
        proposed_rule: { name: 'allow_example', endpoints: [{ host: 'example.com', port: 443, deny_rules: [{ method: 'DELETE' }], credential_binding: { provider: 'github' }, allow_uninspected_credentials: true }], binaries: [{ path: '/usr/bin/curl' }] },
        current_effective_policy: { version: 7 }, candidate_effective_policy: { version: 8 },
      },
    ]);
    const method = (openShellService().service as unknown as Record<string, { responseDeserialize(b: Buffer): any }>)['GetDraftPolicy']!;
    const [chunk] = method.responseDeserialize(Buffer.from(encoded)).chunks;
    expect(chunk).toMatchObject({
      id: 'chunk-x', status: 'rejected', application_error: 'candidate invalid: malformed GraphQL operation', review_token: 'review-v1',
      current_effective_policy_hash: 'current-hash', candidate_effective_policy_hash: 'candidate-hash', hit_count: 7, rejection_reason: 'scope too broad',
    });
    expect(chunk.proposed_rule.endpoints[0]).toMatchObject({ host: 'example.com', credential_binding: { provider: 'github' }, allow_uninspected_credentials: true, deny_rules: [{ method: 'DELETE' }] });
    expect(chunk.current_effective_policy.version).toBe(7);
    expect(chunk.candidate_effective_policy.version).toBe(8);
  });
});

describe('the review loop against the fake gateway', () => {
  it.each([
    { watch: true, name: 'a watched sandbox is read as soon as it changes, not at the next interval' },
    { watch: false, name: 'without WatchSandbox it polls' },
  ])('$name', { timeout: 30_000 }, async ({ watch }) => {
    const fake = new FakeGateway(newState({ workspaces: [WS] }));
    fake.state.watch = watch;
    await fake.start();
    fake.addSandbox('sb-watch', WS);
    const filed: string[] = [];
    const client = createGatewayClient({ gateway: fake.address, tls: null, token: null, workspace: WS });
    const quiet = captureLogger('info');
    const poller = createPoller({
      config: { gateway: fake.address, tls: null, token: null, pollIntervalMs: watch ? 60_000 : 1000, blueprint: 'b', agent: 'a', apiKey: 'k', callbackSecret: 's', workspace: WS, callbackBase: 'http://127.0.0.1:1' },
      gateway: client,
      submit: async (body) => (filed.push(String(body.idempotencyKey)), { id: `act_acme_${filed.length}`, status: 'pending', created: true }),
      decider: { state: async () => null, decide: async () => { throw new Error('unused'); }, signal: async () => {}, closeElsewhere: async () => {}, refuse: async () => {} },
      ledger: new Ledger(await mkdtemp(path.join(tmpdir(), 'countersign-ledger-'))),
      logger: quiet.logger,
    });
    try {
      poller.start();
      await new Promise((r) => setTimeout(r, 500)); // the first cycle has listed the sandbox
      const t0 = Date.now();
      fake.submit('sb-watch', { host: 'watch.example.com' }, WS);
      await eventually(() => filed.length === 1, 10_000, 20);
      if (watch) expect(Date.now() - t0).toBeLessThan(2000);
      else expect(quiet.text()).toContain('does not offer WatchSandbox; polling every 1 s');
    } finally {
      await poller.stop();
      client.close();
      await fake.stop();
    }
  });
});

describe('a submission Countersign refuses for good', () => {
  it('is logged once, degrades openshell:submit, and does not stop the other chunks', { timeout: 30_000 }, async () => {
    const fake = new FakeGateway(newState({ workspaces: [WS] }));
    await fake.start();
    fake.submit('sb-1', { host: 'one.example.com' }, WS);
    fake.submit('sb-2', { host: 'two.example.com' }, WS);
    const health = new Health();
    const tried: string[] = [];
    const refuse: SubmitAction = async (_key, body) => {
      tried.push(String(body.params?.host));
      throw new ApiError(403, ErrorCode.Forbidden, 'agent openshell is not bound to blueprint b');
    };
    const client = createGatewayClient({ gateway: fake.address, tls: null, token: null, workspace: WS });
    const quiet = captureLogger('info');
    const poller = createPoller({
      config: { gateway: fake.address, tls: null, token: null, pollIntervalMs: 200, blueprint: 'b', agent: 'openshell', apiKey: 'k', callbackSecret: 's', workspace: WS, callbackBase: 'http://127.0.0.1:1' },
      gateway: client,
      submit: portSubmitter(refuse, 'k'),
      decider: { state: async () => null, decide: async () => { throw new Error('unused'); }, signal: async () => {}, closeElsewhere: async () => {}, refuse: async () => {} },
      ledger: new Ledger(await mkdtemp(path.join(tmpdir(), 'countersign-ledger-'))),
      logger: quiet.logger,
      health,
    });
    try {
      poller.start();
      await eventually(() => tried.length === 2);
      await new Promise((r) => setTimeout(r, 600)); // a few more cycles
      expect([...tried].sort()).toEqual(['one.example.com', 'two.example.com']);
      expect(quiet.lines.filter((l) => String(l.msg).includes('not bound to blueprint'))).toHaveLength(1);
      expect(health.degraded()).toEqual([expect.objectContaining({ part: 'openshell:submit', reason: 'Countersign refused the submission (forbidden): agent openshell is not bound to blueprint b' })]);
    } finally {
      await poller.stop();
      client.close();
      await fake.stop();
    }
  });
});

describe('countersign openshell check', () => {
  const principals: Record<string, Principal> = {
    full: REVIEWER,
    'no-write': { subject: 'reader', scopes: ['sandbox:read', 'config:read'], workspaces: { [WS]: 'admin' } },
    'not-admin': { subject: 'helper', scopes: ['openshell:all'], workspaces: { [WS]: 'user' } },
  };
  let fake: FakeGateway;
  beforeAll(async () => {
    fake = new FakeGateway(newState({ principals, scopesEnabled: true, workspaces: [WS] }));
    await fake.start();
    fake.submit('sb-check', { host: 'check.example.com' }, WS);
  });
  afterAll(async () => fake?.stop());

  it.each([
    { token: 'full', code: 0, out: ['reviewer: countersign-reviewer (Countersign) via oidc', 'sb-check: 1 pending', 'ok: the reviewer may list, read, approve and reject'], err: [] },
    {
      token: 'no-write',
      code: 1,
      out: ['reviewer: reader via oidc', 'sb-check: 1 pending'],
      err: ['missing scope config:write (to approve and reject chunks)', `may not approve or reject in workspace ${WS} (config:write and the workspace role admin): `, "scope 'config:write' required"],
    },
    {
      token: 'not-admin',
      code: 1,
      out: ['reviewer: helper via oidc'],
      err: [`workspace role 'admin' required in workspace '${WS}'; ask a platform admin to run: openshell workspace member add --workspace '${WS}' --subject 'helper' --role admin`],
    },
  ])('as $token: exit $code', async ({ token, code, out, err }) => {
    const io = captureIO({ cwd: dir, env: { OPENSHELL_GATEWAY: fake.address, OPENSHELL_TOKEN: token, OPENSHELL_WORKSPACE: WS, OPENSHELL_BLUEPRINT: 'b', OPENSHELL_AGENT: 'a', OPENSHELL_API_KEY: 'k', OPENSHELL_CALLBACK_SECRET: SECRET } });
    expect(await main(['openshell', 'check'], io)).toBe(code);
    for (const line of out) expect(io.stdoutText()).toContain(line);
    for (const line of err) expect(io.stderrText()).toContain(line);
    if (code === 0) expect(io.stderrText()).toBe('');
  });
});
