/**
 * Durability on the real dev server: a worker shut down mid-approval and a new one (new process
 * state: new connection, new activities, new AuditLog on the same file) completes it; the audit log
 * written across both verifies, with PII redacted, and tampering with it is detected.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFilePath } from '../../activities/audit/log.js';
import { verifyAuditLog } from '../../core/crypto/index.js';
import { audit as auditCommand } from '../../cli/commands/audit.js';
import type { CliIO } from '../../cli/io.js';
import { getWorkflowBundle, resolveWorkflowsPath } from '../../infra/temporal/bundle.js';
import { decideUpdate, type ApprovalState, type DecisionResult } from '../../core/index.js';
import { connectClient, uniqueTaskQueue, type TestWorker } from '../support/temporal.js';
import { approvalInput, decision, events, makeActivities, Sandbox, startApproval, startWorker, waitForState } from './harness.js';

let conn: Awaited<ReturnType<typeof connectClient>>;
let sandbox: Sandbox;
let dataDir: string;
let auditText = '';
const workers: TestWorker[] = [];

function capture(cwd: string): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, cwd };
}

beforeAll(async () => {
  conn = await connectClient();
  sandbox = await new Sandbox().start();
});

afterAll(async () => {
  for (const w of workers) await w.close();
  await sandbox?.stop();
  await conn?.close();
});

describe('durability and audit', () => {
  it('a worker shut down mid-approval: a new worker finishes it and delivers once', async () => {
    const taskQueue = uniqueTaskQueue('restart');
    const first = await makeActivities();
    dataDir = first.dataDir;
    // A short sticky timeout so the new worker gets the workflow task soon after A is gone.
    const workerA = await startWorker(taskQueue, first.activities, { stickyQueueScheduleToStartTimeout: '1 second' });
    workers.push(workerA);

    const input = approvalInput({ callbackUrl: sandbox.url, decision: decision({ quorum: 2, slaSeconds: 60 }) });
    const handle = await startApproval(conn.client, taskQueue, input);
    await waitForState(handle, (s) => events(s).includes('posted'));
    const alice = (await handle.executeUpdate(decideUpdate, { args: [{ approverId: 'alice', decision: 'approve', via: 'web' }] })) as DecisionResult;
    expect(alice).toMatchObject({ counted: true, state: { status: 'pending' } });
    const refused = (await handle.executeUpdate(decideUpdate, { args: [{ approverId: 'eve', decision: 'approve', via: 'web' }] })) as DecisionResult;
    expect(refused.counted).toBe(false);

    // Shut down between decisions, once A's in-flight audit appends are done. (A task the server
    // hands to a poller that is shutting down is lost until its startToClose timeout, then retried:
    // correct, but it would cost this test 10 s.)
    while (((await handle.describe()).raw.pendingActivities ?? []).length > 0) await new Promise((r) => setTimeout(r, 50));
    await workerA.close();
    workers.splice(workers.indexOf(workerA), 1);

    const second = await makeActivities(dataDir);
    const workerB = await startWorker(taskQueue, second.activities);
    workers.push(workerB);
    const bob = (await handle.executeUpdate(decideUpdate, { args: [{ approverId: 'bob', decision: 'approve', via: 'web' }] })) as DecisionResult;
    expect(bob).toMatchObject({ counted: true, state: { status: 'approved', approvedBy: ['alice', 'bob'] } });
    const final = (await handle.result()) as ApprovalState;
    expect(final).toMatchObject({ status: 'approved', delivered: true });
    expect(events(final)).toEqual(['submitted', 'posted', 'decided', 'refused', 'approved', 'delivered']);
    expect(sandbox.accepted(input.id)).toHaveLength(1);

    // The recorded history replays deterministically against the current workflow code.
    const workflowBundle = await getWorkflowBundle(resolveWorkflowsPath());
    await Worker.runReplayHistory({ workflowBundle }, await handle.fetchHistory(), input.id);

    // A second, auto-approved request on the new worker so the log spans more than one workflow.
    const auto = await startApproval(conn.client, taskQueue, approvalInput({ decision: decision({ verdict: 'auto_approve', approvers: [] }) }));
    await auto.result();
    auditText = await readFile(auditFilePath(dataDir), 'utf8');
  });

  it('the real audit log verifies, chains across both workers and redacts PII', async () => {
    const result = verifyAuditLog(auditText);
    expect(result).toEqual({ ok: true, entries: expect.any(Number) });
    const records = auditText.trim().split('\n').map((l) => JSON.parse(l) as { seq: number; event: string; who: string; data: Record<string, unknown> });
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    expect(records.map((r) => r.event)).toEqual(expect.arrayContaining(['submitted', 'posted', 'decided', 'refused', 'approved', 'delivered']));
    expect(auditText).not.toContain('pat@example.com');
    const submitted = records.find((r) => r.event === 'submitted')!;
    expect((submitted.data.request as { params: Record<string, unknown> }).params).toEqual({ amount: 900, email: '[redacted]' });
    expect(records.find((r) => r.event === 'refused')).toMatchObject({ who: 'eve', data: { code: 'not-eligible' } });

    const io = capture(dataDir);
    expect(await auditCommand(['verify', 'audit.jsonl'], io)).toBe(0);
    expect(io.out).toEqual([`ok audit.jsonl: ${records.length} entries`]);
  });

  it('detects an edited, a removed and swapped lines in the real log (CLI exit 1 with file:line)', async () => {
    const lines = auditText.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    const edited = [...lines];
    edited[2] = edited[2]!.replace(/"who":"[^"]*"/, '"who":"mallory"');
    const removed = lines.filter((_, i) => i !== 3);
    const swapped = [...lines];
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    const cases = [
      { name: 'edited.jsonl', text: edited, line: 3, reason: /edited/ },
      { name: 'removed.jsonl', text: removed, line: 4, reason: /seq 5 where 4 was expected/ },
      { name: 'swapped.jsonl', text: swapped, line: 2, reason: /seq 3 where 2 was expected/ },
    ];
    for (const c of cases) {
      await writeFile(path.join(dataDir, c.name), `${c.text.join('\n')}\n`);
      const io = capture(dataDir);
      expect(await auditCommand(['verify', c.name], io)).toBe(1);
      expect(io.err).toHaveLength(1);
      expect(io.err[0]).toMatch(new RegExp(`^${c.name.replace('.', '\\.')}:${c.line}: `));
      expect(io.err[0]).toMatch(c.reason);
    }
  });
});
