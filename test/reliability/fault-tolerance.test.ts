/**
 * Fault tolerance, end to end with real processes: 300 approvals in flight while the worker and the
 * API are `kill -9`ed at random moments and restarted, then the Temporal dev server is restarted on
 * the same SQLite file. Every approval must reach exactly one terminal verdict, every verdict must
 * reach the sandbox's callback (each idempotency key executed once; duplicate deliveries are counted
 * and allowed), and `countersign audit verify` must pass on the audit log the workers appended to.
 *
 * The service runs as child processes (`countersign worker` / `countersign api` from sources, see
 * bench/lib/service.ts) against a dev server this test starts itself on a temp db file, so kills
 * are real SIGKILLs. Approvers decide through the HTTP API with their tokens, retrying on connection
 * errors and 5xx while the API or Temporal is down. Reproduce a run with RELIABILITY_SEED=<seed>;
 * RELIABILITY_APPROVALS changes the count (default 300).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { actionId } from '../../core/crypto/index.js';
import { main } from '../../cli/main.js';
import { freePort, startDevServer, type DevServer } from '../../infra/temporal/index.js';
import { SEARCH_ATTRIBUTE_TYPES, type ApprovalState, type Status } from '../../core/index.js';
import { callWithRetry, type RetryStats } from '../../bench/lib/http.js';
import { CallbackReceiver } from '../../bench/lib/receiver.js';
import {
  serviceEnv,
  spawnService,
  writeServiceFixture,
  type ServiceFixture,
  type ServiceKind,
  type ServiceProcess,
} from '../../bench/lib/service.js';
import { seededRandom, sleep } from '../../bench/lib/stats.js';

const cliPath = inject('temporalCliPath');
const APPROVALS = Number(process.env.RELIABILITY_APPROVALS ?? 300);
const SEED = Number(process.env.RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KILLS: ServiceKind[] = ['worker', 'worker', 'worker', 'worker', 'api', 'api', 'api'];
/** Submissions are spread over this window while the kills happen. */
const SUBMIT_WINDOW_MS = 30_000;
/** Everything must be terminal and delivered this long after the Temporal restart. */
const DRAIN_MS = Number(process.env.RELIABILITY_DRAIN_MS ?? 240_000);

const AGENT_KEY = 'reliability-agent-key-000001';
const TOKENS = { ann: 'reliability-approver-ann-0001', ben: 'reliability-approver-ben-0001' } as const;
const CALLBACK_SECRET = 'reliability-callback-secret-00001';

const CONFIG = `agents:
  - id: rel-agent
    tenant: rel
    blueprints: [reliability]
    apiKey: ${AGENT_KEY}
approvers:
  - { id: ann, name: Ann, tenants: [rel], token: ${TOKENS.ann} }
  - { id: ben, name: Ben, tenants: [rel], token: ${TOKENS.ben} }
groups:
  reviewers: [ann, ben]
`;

/** auto → approved at once; review → a person approves or denies; short → nobody answers, expires. */
const POLICY = `blueprint: reliability
security:
  approvalDefaults:
    approver: reviewers
    sla: 10m
  permissions:
    execute:
      - action: job.run
        condition: "kind == 'auto'"
        approval: auto
      - action: job.run
        condition: "kind == 'review'"
        approval: reviewers
      - action: job.run
        condition: "kind == 'short'"
        approval: reviewers
        sla: 45s
        remindEvery: 15s
`;

type Plan = 'auto' | 'approve' | 'deny' | 'policy-deny' | 'expire';
const EXPECTED: Record<Plan, Status> = { auto: 'approved', approve: 'approved', deny: 'denied', 'policy-deny': 'denied', expire: 'expired' };
const KIND: Record<Plan, string> = { auto: 'auto', approve: 'review', deny: 'review', 'policy-deny': 'none', expire: 'short' };
const TERMINAL_EVENTS = new Set(['approved', 'denied', 'expired', 'blocked']);

interface Item {
  key: string;
  id: string;
  plan: Plan;
  submitted: boolean;
  decided: boolean;
}

/** Keeps one process of a kind alive: restarts it after our kills and after any crash (counted). */
class Supervisor {
  current!: ServiceProcess;
  kills = 0;
  crashes = 0;
  private expected = new Set<number>();
  private stopping = false;

  constructor(
    readonly kind: ServiceKind,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  start(): ServiceProcess {
    const proc = spawnService(this.kind, this.env, this.logFile);
    this.current = proc;
    void proc.exited.then(async () => {
      if (this.stopping || this.expected.has(proc.pid)) return;
      this.crashes++;
      await sleep(500);
      if (!this.stopping && this.current === proc) this.start();
    });
    return proc;
  }

  /** Waits until the current process serves, then SIGKILLs it and starts a new one after `downMs`. */
  async kill(downMs: number): Promise<void> {
    await this.current.ready.catch(() => {});
    const proc = this.current;
    this.expected.add(proc.pid);
    await proc.kill9();
    this.kills++;
    await sleep(downMs);
    this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.current.stop();
  }

  /** SIGKILL without restart (cleanup after a failure). */
  async abort(): Promise<void> {
    this.stopping = true;
    await this.current?.kill9();
  }
}

let dir: string | undefined;
let dbDir: string | undefined;
let keep = false;
afterAll(async () => {
  if (dbDir) await rm(dbDir, { recursive: true, force: true });
  if (dir && !keep) await rm(dir, { recursive: true, force: true });
  else if (dir) console.error(`reliability: logs and state kept in ${dir}`);
});

describe.skipIf(!cliPath)('fault tolerance under kill -9 and a Temporal restart', () => {
  it(`${APPROVALS} approvals reach exactly one verdict, delivered once, audit intact`, { timeout: 480_000 }, async () => {
    keep = true;
    const random = seededRandom(SEED);
    const between = (lo: number, hi: number): number => lo + (hi - lo) * random();
    dir = await mkdtemp(path.join(tmpdir(), 'countersign-reliability-'));
    const fixture: ServiceFixture = await writeServiceFixture(dir, CONFIG, { 'reliability.yaml': POLICY });
    // The dev server's SQLite file goes on tmpfs when there is one: restarts on the same file are
    // what is tested, not the disk's fsync rate (which dominates on a shared CI disk).
    dbDir = await mkdtemp(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'countersign-reliability-db-'));
    const dbFile = path.join(dbDir, 'temporal.db');
    const temporalPort = await freePort();
    const apiPort = await freePort();
    const startTemporal = (): Promise<DevServer> =>
      startDevServer({ cliPath: cliPath!, dbFile, port: temporalPort, namespace: 'default', searchAttributes: SEARCH_ATTRIBUTE_TYPES });
    let temporal = await startTemporal();

    const receiver = new CallbackReceiver({ secret: CALLBACK_SECRET, rejectFirstFraction: 0.1 });
    const callbackUrl = await receiver.start();
    const env = serviceEnv(fixture, { temporalAddress: temporal.address, port: apiPort, callbackSecret: CALLBACK_SECRET });
    const worker = new Supervisor('worker', env, path.join(dir, 'worker.log'));
    const api = new Supervisor('api', env, path.join(dir, 'api.log'));
    const base = `http://127.0.0.1:${apiPort}`;
    const retries: RetryStats = { connectionErrors: 0, serverErrors: 0 };
    const problems: string[] = [];
    let temporalRestarts = 0;

    try {
      await Promise.all([worker.start().ready, api.start().ready]);
      const t0 = Date.now();
      const giveUpAt = t0 + SUBMIT_WINDOW_MS + DRAIN_MS + 60_000;

      // The workload: a shuffled mix of outcomes.
      const plans: Plan[] = [];
      const share: [Plan, number][] = [['auto', 0.2], ['approve', 0.3], ['deny', 0.2], ['policy-deny', 0.1], ['expire', 0.2]];
      for (const [plan, f] of share) for (let i = 0; i < Math.round(APPROVALS * f); i++) plans.push(plan);
      while (plans.length < APPROVALS) plans.push('auto');
      plans.length = APPROVALS;
      for (let i = plans.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [plans[i], plans[j]] = [plans[j]!, plans[i]!];
      }
      const items: Item[] = plans.map((plan, i) => {
        const key = `rel-${SEED}-${i}`;
        return { key, id: actionId('rel', key), plan, submitted: false, decided: false };
      });
      const decisionDelays = items.map(() => between(1000, 25_000));
      const approverOf = items.map(() => (random() < 0.5 ? 'ann' : 'ben') as keyof typeof TOKENS);

      const submitAndDecide = (item: Item, index: number): Promise<void> =>
        submitAndDecideOnce(item, index).catch((error: unknown) => void problems.push(`${item.key} (${item.plan}): ${(error as Error).message}`));
      const submitAndDecideOnce = async (item: Item, index: number): Promise<void> => {
        await sleep((index * SUBMIT_WINDOW_MS) / APPROVALS);
        const body = { blueprint: 'reliability', action: 'job.run', params: { kind: KIND[item.plan] }, idempotencyKey: item.key, callbackUrl };
        const res = await callWithRetry(base, 'POST', '/v1/actions', AGENT_KEY, body, retries, giveUpAt);
        if ((res.status !== 201 && res.status !== 200) || res.body?.id !== item.id) {
          problems.push(`submit ${item.key}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
          return;
        }
        item.submitted = true;
        if (item.plan !== 'approve' && item.plan !== 'deny') return;
        await sleep(decisionDelays[index]!);
        const decision = { decision: item.plan === 'approve' ? 'approve' : 'deny', reason: `reliability ${item.plan}` };
        const who = approverOf[index]!;
        const r = await callWithRetry(base, 'POST', `/v1/actions/${item.id}/decision`, TOKENS[who], decision, retries, giveUpAt);
        // 409: an earlier attempt counted but its answer was lost with a killed API.
        if (r.status === 200 || r.status === 409) item.decided = true;
        else problems.push(`decide ${item.id}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      };

      // Chaos: kill the worker 4 times and the API 3 times, in random order at random moments.
      const chaos = async (): Promise<void> => {
        const order = [...KILLS];
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        for (const kind of order) {
          const target = kind === 'worker' ? worker : api;
          // Each victim serves for a random 2–7 s after it is ready, so work is really in flight.
          await target.current.ready.catch(() => {});
          await sleep(between(2000, 7000));
          await target.kill(between(300, 2500));
        }
      };

      const load = Promise.all(items.map((item, i) => submitAndDecide(item, i)));
      await chaos();
      // Then restart Temporal itself on the same db file while work is still in flight
      // (short-SLA timers pending, reminders due, deliveries retrying).
      await Promise.all([worker.current.ready.catch(() => {}), api.current.ready.catch(() => {})]);
      await temporal.stop();
      await sleep(1000);
      temporal = await startTemporal();
      temporalRestarts++;
      await load;

      // Drain: every workflow must complete; its result is the final state.
      const connection = await Connection.connect({ address: temporal.address });
      const client = new Client({ connection, namespace: 'default' });
      const finals = new Map<string, ApprovalState>();
      const drainBy = Date.now() + DRAIN_MS;
      try {
        await Promise.all(
          items
            .filter((item) => item.submitted)
            .map(async (item) => {
              const handle = client.workflow.getHandle(item.id);
              for (;;) {
                try {
                  const state = await client.withDeadline(Math.min(drainBy, Date.now() + 20_000), () => handle.result() as Promise<ApprovalState>);
                  finals.set(item.id, state);
                  return;
                } catch (error) {
                  if (error instanceof WorkflowFailedError) {
                    problems.push(`${item.id} (${item.plan}): workflow failed: ${String(error.cause?.message ?? error.message)}`);
                    return;
                  }
                  if (Date.now() > drainBy) {
                    problems.push(`${item.id} (${item.plan}) not terminal after the drain: ${(error as Error).message}`);
                    return;
                  }
                }
              }
            }),
        );
        const described = await client.workflow.count(`WorkflowType = "approvalWorkflow"`);
        if (described.count > APPROVALS) problems.push(`${described.count} approval workflows exist for ${APPROVALS} approvals`);
      } finally {
        await connection.close();
      }

      // Stop the service gracefully, then check the audit log with the real CLI.
      await Promise.all([worker.stop(), api.stop()]);
      const auditFile = path.join(fixture.dataDir, 'audit.jsonl');
      const out: string[] = [];
      const err: string[] = [];
      const verifyExit = await main(['audit', 'verify', auditFile], { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, cwd: dir });
      const auditLines = (await readFile(auditFile, 'utf8')).split('\n').filter(Boolean);
      const auditCount = new Map<string, number>();
      for (const line of auditLines) {
        try {
          const r = JSON.parse(line) as { id: string; event: string };
          auditCount.set(`${r.id} ${r.event}`, (auditCount.get(`${r.id} ${r.event}`) ?? 0) + 1);
        } catch {
          // reported by audit verify
        }
      }
      let auditDuplicates = 0;
      for (const n of auditCount.values()) auditDuplicates += n - 1;

      // Per approval: one terminal verdict as planned, delivered, executed once by the receiver.
      const verdicts: Record<string, number> = {};
      let lost = 0;
      for (const item of items) {
        const state = finals.get(item.id);
        const executed = receiver.executed.get(item.id);
        if (!item.submitted || !state || !executed) {
          lost++;
          if (item.submitted && state && !executed) problems.push(`${item.id}: ${state.status} but no callback received (delivered=${state.delivered}, ${state.deliveryError ?? ''})`);
          continue;
        }
        verdicts[state.status] = (verdicts[state.status] ?? 0) + 1;
        const terminalEvents = state.history.filter((h) => TERMINAL_EVENTS.has(h.event)).length;
        if (state.status !== EXPECTED[item.plan]) problems.push(`${item.id} (${item.plan}): ${state.status}, expected ${EXPECTED[item.plan]}: ${state.reason}`);
        if (terminalEvents !== 1) problems.push(`${item.id}: ${terminalEvents} terminal events in its history`);
        if (!state.delivered) problems.push(`${item.id}: not delivered (${state.deliveryError ?? 'no error'})`);
        if (executed.payload.status !== state.status) problems.push(`${item.id}: callback said ${executed.payload.status}, state is ${state.status}`);
        if (executed.payload.verdict !== (state.status === 'approved' ? 'execute' : 'block')) problems.push(`${item.id}: callback verdict ${executed.payload.verdict} for ${state.status}`);
        if (executed.conflicting > 0) problems.push(`${item.id}: ${executed.conflicting} deliveries disagree with the first`);
        if ((auditCount.get(`${item.id} ${state.status}`) ?? 0) < 1) problems.push(`${item.id}: no "${state.status}" record in the audit log`);
        if ((auditCount.get(`${item.id} delivered`) ?? 0) < 1) problems.push(`${item.id}: no "delivered" record in the audit log`);
        if (item.plan === 'approve' || item.plan === 'deny') {
          if (!item.decided) problems.push(`${item.id}: the approver's decision never got an answer`);
        }
      }
      const unexpected = [...receiver.executed.keys()].filter((id) => !items.some((i) => i.id === id));
      if (unexpected.length) problems.push(`callbacks for unknown ids: ${unexpected.join(', ')}`);

      const figures =
        `reliability: approvals=${APPROVALS} kills=worker:${worker.kills},api:${api.kills} crashes=worker:${worker.crashes},api:${api.crashes} ` +
        `temporal-restarts=${temporalRestarts} verdicts={${Object.entries(verdicts).map(([k, v]) => `${k}:${v}`).join(',')}} ` +
        `callbacks-executed=${receiver.executed.size} duplicates=${receiver.duplicates} injected-503=${receiver.injectedFailures} bad-signature=${receiver.badSignature} ` +
        `lost=${lost} audit=${verifyExit === 0 ? 'ok' : 'FAILED'}:${auditLines.length}-entries,dup-records=${auditDuplicates} ` +
        `client-retries=conn:${retries.connectionErrors},5xx:${retries.serverErrors} seed=${SEED} elapsed=${Math.round((Date.now() - t0) / 1000)}s`;
      console.log(figures);
      if (problems.length) console.error(`reliability problems (${problems.length}):\n  ${problems.slice(0, 40).join('\n  ')}`);

      expect(verifyExit, err.join('\n')).toBe(0);
      expect(problems).toEqual([]);
      expect(lost).toBe(0);
      expect(receiver.executed.size).toBe(APPROVALS);
      expect(receiver.badSignature).toBe(0);
      expect(worker.kills).toBe(4);
      expect(api.kills).toBe(3);
      keep = false;
    } finally {
      await Promise.allSettled([worker.abort(), api.abort()]);
      await receiver.close();
      await temporal.stop();
    }
  });
});
