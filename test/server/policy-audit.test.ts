/**
 * Policy changes applied by hot reload are on the audit trail, on the real service: a widened
 * blueprint is recorded with its file and the policy hashes before and after; a removed one too.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';
import { policyChanges } from '../../server/api.js';
import { ROOT } from '../support/service.js';
import { TEST_CONFIG } from '../api/harness.js';
import { eventually } from '../support/eventually.js';
import { startTestService, type TestService } from '../support/service.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ config: TEST_CONFIG, callbackSecret: 'test-callback-secret-0000000001', integrations: () => [] });
}, 120_000);
afterAll(async () => svc?.close());

const entries = async () => (await readFile(path.join(svc.dir, 'data', 'audit.jsonl'), 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('policy changes on the audit trail', () => {
  it('records a widened blueprint with its hashes, and a removed one', async () => {
    const file = path.join(svc.dir, 'policies', 'customer-support.yaml');
    const before = svc.service.policies!.get('customer-support')!.hash;
    await writeFile(file, (await readFile(file, 'utf8')).replace('refund.amount > 50', 'refund.amount > 500'));
    const changed = await eventually(async () => (await entries()).find((r) => r.event === 'policy-changed' && r.data.blueprint === 'customer-support'), 15_000);
    const after = svc.service.policies!.get('customer-support')!.hash;
    expect(changed).toMatchObject({ id: 'policy:customer-support', who: 'policy-store', data: { change: 'changed', file: 'customer-support.yaml', from: before, to: after } });
    expect(changed.data.diff).toEqual(['!~ security.approvalWorkflows[0].trigger: refund.amount > 50 → refund.amount > 500']);
    expect(changed.data.widening).toEqual([{ path: 'security.approvalWorkflows[0].trigger', why: 'the trigger that asks a person changed from "refund.amount > 50"' }]);
    expect(after).not.toBe(before);

    await rm(path.join(svc.dir, 'policies', 'sales-ops.yaml'));
    const removed = await eventually(async () => (await entries()).find((r) => r.event === 'policy-changed' && r.data.blueprint === 'sales-ops'), 15_000);
    expect(removed.data).toMatchObject({ change: 'removed', to: null });
  });

  it('countersign policy diff prints the same lines and names what widens', async () => {
    const dir = svc.dir;
    const security = await readFile(path.join(ROOT, 'policies', 'security-ops.yaml'), 'utf8');
    await writeFile(path.join(dir, 'old.yaml'), security);
    const io = captureIO({ cwd: dir });
    expect(await main(['policy', 'diff', 'old.yaml', 'old.yaml'], io)).toBe(0);
    expect(io.stdoutText().trimEnd()).toBe('no change');
    const io2 = captureIO({ cwd: dir });
    const edited = security.replace('approval: auto', 'approval: soc-lead');
    await writeFile(path.join(dir, 'new.yaml'), edited);
    expect(await main(['policy', 'diff', 'new.yaml', 'old.yaml'], io2)).toBe(0);
    const line = io2.stdoutText().trimEnd().split('\n').find((l) => l.includes('.approval:'));
    expect(line).toMatch(/^!~ security\.permissions\.execute\[\d+\]\.approval: soc-lead → auto$/);
    expect(io2.stderrText()).toMatch(/^widens: security\.permissions\.execute\[\d+\]\.approval: now runs without a person \(approval: auto\)$/m);
  });

  it.each([
    { before: [['a', 'h1']], after: [['a', 'h2']], out: [{ blueprint: 'a', change: 'changed', from: 'h1', to: 'h2' }] },
    { before: [], after: [['b', 'h1']], out: [{ blueprint: 'b', change: 'added', from: null, to: 'h1' }] },
    { before: [['c', 'h1']], after: [], out: [{ blueprint: 'c', change: 'removed', from: 'h1', to: null }] },
    { before: [['d', 'h1']], after: [['d', 'h1']], out: [] },
  ])('policyChanges %#', ({ before, after, out }) => {
    const map = (xs: string[][]) => new Map(xs.map(([b, h]) => [b!, { hash: h!, file: `${b}.yaml` }]));
    expect(policyChanges(map(before), map(after)).map(({ file: _f, ...rest }) => rest)).toEqual(out);
  });
});
