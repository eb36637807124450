/**
 * Workflow-code changes against recorded histories: a history written by an earlier version must
 * replay with today's code (an in-flight approval survives a deploy), and the built-in web channel's
 * cards cost no activity once the `web-cards-in-workflow` patch holds.
 */
import { readFile } from 'node:fs/promises';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWorkflowBundle, resolveWorkflowsPath } from '../../infra/temporal/index.js';
import { closeElsewhereSignal, type ApprovalState } from '../../core/index.js';
import { WEB_CARDS_IN_WORKFLOW } from '../../workflows/approval/cards.js';
import { OUTCOME_MEMO, VIEW_ATTRIBUTES } from '../../workflows/approval/views.js';
import { connectClient, uniqueTaskQueue, type TestWorker } from '../support/temporal.js';
import { approvalInput, decision, events, makeActivities, startApproval, startWorker } from './harness.js';

const fixture = (name: string) => new URL(`../fixtures/histories/${name}`, import.meta.url);

let conn: Awaited<ReturnType<typeof connectClient>>;
let worker: TestWorker;
const taskQueue = uniqueTaskQueue('replay');

beforeAll(async () => {
  conn = await connectClient();
  worker = await startWorker(taskQueue, (await makeActivities()).activities);
});

afterAll(async () => {
  await worker?.close();
  await conn?.close();
});

const replay = async (history: unknown, workflowId: string) =>
  Worker.runReplayHistory({ workflowBundle: await getWorkflowBundle(resolveWorkflowsPath(), new DefaultLogger('WARN')) }, history as never, workflowId);

/** A web approval that reminds every second, escalates at 2 s and expires at 4 s: every card site. */
const everyCardSite = decision({ channel: 'web', slaSeconds: 4, remindEverySeconds: 1, escalateTo: 'oncall', escalateAfterSeconds: 2 });

describe('approval workflow replay', () => {
  it('a history from before the web-cards patch (web cards as activities) replays with today\'s code', async () => {
    // Binary protobuf, as `fetchHistory()` returned it: the SDK's JSON reader trips over two protobufjs copies.
    const history = temporal.api.history.v1.History.decode(await readFile(fixture('web-card-activities.binpb')));
    const scheduled = history.events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
    expect(scheduled).toEqual(['postCard', 'remind', 'escalate', 'remind', 'remind', 'updateCard']);
    await expect(replay(history, 'replay-web-expired')).resolves.toBeUndefined();
  });

  it('a web approval schedules no card activity, records the patch, and replays', { timeout: 30_000 }, async () => {
    const input = approvalInput({ decision: everyCardSite, escalation: ['dave'] });
    const handle = await startApproval(conn.client, taskQueue, input);
    const final = (await handle.result()) as ApprovalState;
    expect(final.status).toBe('expired');
    expect(events(final)).toEqual(expect.arrayContaining(['posted', 'reminded', 'escalated', 'expired']));
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
    expect(scheduled).toEqual([]);
    const markers = (history.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
    const patches = markers.map((m) => JSON.parse(Buffer.from(m.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0]!.data!).toString('utf8')));
    expect(patches).toEqual([
      { id: WEB_CARDS_IN_WORKFLOW, deprecated: false },
      { id: VIEW_ATTRIBUTES, deprecated: false },
      { id: OUTCOME_MEMO, deprecated: false },
    ]);
    // The memo says who decided and why, for history lists.
    expect((await handle.describe()).memo).toMatchObject({ decidedBy: 'system', reason: final.reason });
    // The escalation told visibility who may decide now.
    const upserts = (history.events ?? []).flatMap((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}));
    expect(upserts).toContain('CountersignEligible');
    await expect(replay(history, input.id)).resolves.toBeUndefined();
  });

  it('approvals closed while their first task runs replay (the patch sits at a fixed place)', { timeout: 60_000 }, async () => {
    const handles = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const input = approvalInput({ decision: decision({ channel: 'web' }) });
        const handle = await startApproval(conn.client, taskQueue, input);
        // Staggered so some land before, some during and some after the first workflow task.
        await new Promise((r) => setTimeout(r, i * 15));
        await handle.signal(closeElsewhereSignal, { reason: 'decided at the gateway', via: 'gateway' });
        return { handle, id: input.id };
      }),
    );
    for (const { handle, id } of handles) {
      expect(((await handle.result()) as ApprovalState).status).toBe('denied');
      await expect(replay(await handle.fetchHistory(), id)).resolves.toBeUndefined();
    }
  });
});
