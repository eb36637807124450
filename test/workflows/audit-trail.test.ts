/**
 * The audit-trail workflow on the real dev server: what the API refuses is signaled to the
 * tenant's trail and appended to the hash-chained audit log in arrival order, and entries carried
 * over a continue-as-new are appended before new ones.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../activities/index.js';
import {
  AUDIT_TRAIL_WORKFLOW,
  auditTrailWorkflowId,
  recordSignal,
  type AuditEntryInput,
  type AuditTrailInput,
} from '../../core/index.js';
import { eventually } from '../support/eventually.js';
import { connectClient, uniqueTaskQueue, type TestWorker } from '../support/temporal.js';
import { makeActivities, startWorker } from './harness.js';

let conn: Awaited<ReturnType<typeof connectClient>>;
let worker: TestWorker;
let dataDir: string;
const taskQueue = uniqueTaskQueue('audit-trail');

beforeAll(async () => {
  conn = await connectClient();
  const made = await makeActivities();
  dataDir = made.dataDir;
  worker = await startWorker(taskQueue, made.activities);
});
afterAll(async () => {
  await worker?.close();
  await conn?.close();
});

const entry = (n: number, tenant: string): AuditEntryInput => ({
  event: 'refused',
  id: `act_${tenant}_${String(n).padStart(32, '0')}`,
  who: `agent-${n}`,
  why: `refusal ${n}`,
  data: { refusal: 'read-not-visible', customer_name: 'Jane Roe' },
  piiFields: ['customer_name'],
});

async function records(): Promise<Record<string, any>[]> {
  const text = await readFile(path.join(dataDir, 'audit.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
}

describe('audit trail workflow', () => {
  it('appends signaled refusals in order, redacted, on a valid chain; carried entries first', { timeout: 30_000 }, async () => {
    const tenant = `trail-${Date.now()}`;
    const carried = entry(0, tenant);
    for (let n = 1; n <= 3; n++) {
      await conn.client.workflow.signalWithStart<(input: AuditTrailInput) => Promise<void>, [AuditEntryInput]>(AUDIT_TRAIL_WORKFLOW, {
        workflowId: auditTrailWorkflowId(taskQueue, tenant),
        taskQueue,
        args: [{ tenant, pending: [carried] }],
        signal: recordSignal,
        signalArgs: [entry(n, tenant)],
      });
    }
    const mine = await eventually(async () => {
      const found = (await records()).filter((r) => r.id.startsWith(`act_${tenant}_`));
      return found.length === 4 ? found : null;
    });
    expect(mine.map((r) => r.who)).toEqual(['agent-0', 'agent-1', 'agent-2', 'agent-3']);
    expect(mine.every((r) => r.data.customer_name === '[redacted]')).toBe(true);
    expect(verifyAuditLog(await readFile(path.join(dataDir, 'audit.jsonl'), 'utf8'))).toMatchObject({ ok: true });
  });

  it.each([
    { taskQueue: 'countersign', tenant: 'acme', id: 'audit-trail/countersign/acme' },
    { taskQueue: 'team/a', tenant: 'a/b c', id: 'audit-trail/team%2Fa/a%2Fb%20c' },
  ])('one trail per task queue and tenant: $id', ({ taskQueue: queue, tenant, id }) => {
    expect(auditTrailWorkflowId(queue, tenant)).toBe(id);
  });
});
