/**
 * Trust boundaries on the real dev server: an agent acts only through the blueprints bound to it
 * and reads only its own actions; a person sees and decides only what they are eligible for, in
 * their tenant (auditors read, never decide); everyone else gets the 404 an unknown id gets, and
 * every refusal lands on the audit log.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, KEYS, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type Key = keyof typeof KEYS;

const submit = (key: Key, body: Record<string, unknown>) => h.call('POST', '/v1/actions', { token: KEYS[key], body: { idempotencyKey: randomUUID(), ...body } });
const read = (key: Key, id: string) => h.call('GET', `/v1/actions/${id}`, { token: KEYS[key] });
const decide = (key: Key, id: string, decision = 'approve') => h.call('POST', `/v1/actions/${id}/decision`, { token: KEYS[key], body: { decision } });
const listed = async (key: Key, id: string): Promise<Record<string, unknown> | undefined> => {
  const res = await h.call('GET', '/v1/approvals?status=pending', { token: KEYS[key] });
  expect(res.status).toBe(200);
  return (res.body.approvals as Record<string, unknown>[]).find((a) => a.id === id);
};
/** Waits until visibility has indexed `id` (as `who` sees it), so an absence from a list means something. */
const indexed = (who: Key, id: string) => eventually(() => listed(who, id));

const refund = (amount: number) => ({ blueprint: 'customer-support', action: 'refund', params: { amount, customer_name: 'Jane Roe', reason: 'duplicate charge' } });

async function auditRecords(): Promise<Record<string, any>[]> {
  const text = await readFile(path.join(h.config.dataDir, 'audit.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, any>);
}
const audited = (match: (r: Record<string, any>) => boolean) =>
  eventually(async () => (await auditRecords()).find(match));

/** The body a caller gets for an id that does not exist, with `id` in its place. */
async function unknownAnswer(key: Key, id: string, how: 'read' | 'decide') {
  const made = `act_acme_${randomUUID().replaceAll('-', '')}`;
  const res = how === 'read' ? await read(key, made) : await decide(key, made);
  return { status: res.status, body: JSON.parse(JSON.stringify(res.body).replaceAll(made, id)) };
}

describe('agents act only through the blueprints bound to them', () => {
  const blockIp = { blueprint: 'security-ops', action: 'block-ip', resource: '203.0.113.9', params: { threat_score: 95, source: 'known-malicious' } };

  it.each([
    { agent: 'support' as const, status: 403, verdict: undefined, code: 'forbidden' },
    { agent: 'soc' as const, status: 201, verdict: 'approved', code: undefined },
  ])('$agent-bot → security-ops block-ip 95/known-malicious: $status', async ({ agent, status, verdict, code }) => {
    const before = (await h.metrics.submissions.get()).values.find((v) => v.labels.verdict === 'forbidden')?.value ?? 0;
    const res = await submit(agent, blockIp);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    const forbidden = (await h.metrics.submissions.get()).values.find((v) => v.labels.verdict === 'forbidden')?.value ?? 0;
    if (verdict) {
      expect(res.body.status).toBe(verdict);
      expect(forbidden).toBe(before);
      return;
    }
    expect(res.body.error).toEqual({
      code,
      message: 'agent support-bot is not bound to blueprint security-ops: it may submit to customer-support, trust-escalation (agents[].blueprints in countersign.yaml)',
    });
    expect(forbidden).toBe(before + 1);
    const entry = await audited((r) => r.event === 'refused' && r.who === 'support-bot' && r.data.refusal === 'forbidden-blueprint');
    expect(entry).toMatchObject({ id: 'submission', data: { blueprint: 'security-ops', action: 'block-ip', tenant: 'acme' } });
    expect(h.log.lines.some((l) => l.level === 40 && String(l.msg).startsWith('refused: agent support-bot is not bound'))).toBe(true);
  });
});

describe('agents see their own actions', () => {
  let id: string;
  beforeAll(async () => {
    const res = await submit('support', refund(75));
    expect(res.status).toBe(201);
    id = res.body.id;
    await indexed('support', id);
  });

  it.each([
    { who: 'support' as const, as: 'the agent that asked', status: 200 },
    { who: 'support2' as const, as: 'another agent of the tenant', status: 404 },
    { who: 'reader' as const, as: 'a tenant-reader', status: 200 },
    { who: 'other' as const, as: 'an agent of another tenant', status: 404 },
  ])('$as ($who-bot): read $status, listed iff 200', async ({ who, status }) => {
    const res = await read(who, id);
    expect(res.status).toBe(status);
    if (status === 404) expect(res).toMatchObject(await unknownAnswer(who, id, 'read'));
    else expect(res.body).toMatchObject({ id, request: { agent: 'support-bot', action: 'refund' } });
    expect(Boolean(await listed(who, id))).toBe(status === 200);
  });

  it('a refused read is on the audit log, without telling the caller', async () => {
    expect((await read('support2', id)).status).toBe(404);
    const entry = await audited((r) => r.event === 'refused' && r.who === 'support-bot2' && r.id === id);
    expect(entry).toMatchObject({ data: { refusal: 'read-not-visible', exists: true, tenant: 'acme' } });
  });
});

describe('people see and decide only what they are eligible for, in their tenant', () => {
  let id: string;
  beforeAll(async () => {
    const res = await submit('support', refund(75));
    expect(res.body).toMatchObject({ status: 'pending', approvers: ['support-leads'] });
    expect([...res.body.eligible].sort()).toEqual(['alice', 'bob']);
    id = res.body.id;
    await indexed('alice', id);
  });

  it.each([
    { who: 'eve' as const, as: 'in no eligible group', read: 404, decide: 404 },
    { who: 'gina' as const, as: 'of tenant globex in a same-named group', read: 404, decide: 404 },
    { who: 'audrey' as const, as: 'an auditor of acme', read: 200, decide: 403 },
  ])('an approver $as ($who): read $read, decide $decide, listed iff readable', async ({ who, read: readStatus, decide: decideStatus }) => {
    const got = await read(who, id);
    expect(got.status).toBe(readStatus);
    if (readStatus === 404) expect(got).toMatchObject(await unknownAnswer(who, id, 'read'));
    expect(Boolean(await listed(who, id))).toBe(readStatus === 200);
    const decided = await decide(who, id);
    expect(decided.status).toBe(decideStatus);
    if (decideStatus === 404) expect(decided).toMatchObject(await unknownAnswer(who, id, 'decide'));
    else expect(decided.body.error).toEqual({ code: 'forbidden', message: 'audrey audits tenant acme: auditors read actions, they never decide them' });
    // The pending approval refused the decision and recorded it; the API recorded the read.
    const decision = await audited((r) => r.event === 'refused' && r.who === who && r.id === id && r.data.decision === 'approve');
    expect(decision.why).toContain(`${who} is not`);
    if (readStatus === 404) {
      expect(await audited((r) => r.event === 'refused' && r.who === who && r.id === id && r.data.refusal === 'read-not-visible')).toBeTruthy();
    }
    expect((await read('alice', id)).body.status).toBe('pending');
  });

  it('an eligible approver sees the request minus PII, the rule, the explanation and quorum progress', async () => {
    const res = await read('alice', id);
    expect(res.status).toBe(200);
    expect(res.body.request).toEqual({
      blueprint: 'customer-support',
      action: 'refund',
      agent: 'support-bot',
      tenant: 'acme',
      params: { amount: 75, customer_name: '[redacted]', reason: 'duplicate charge' },
    });
    expect(res.body.rule).toEqual({ path: 'security.approvalWorkflows[0]', line: expect.any(Number), file: 'customer-support.yaml' });
    expect(res.body.explanation).toEqual(expect.arrayContaining([expect.stringContaining('refund.amount > 50')]));
    expect(res.body).toMatchObject({ quorum: 1, approvedBy: [], channel: expect.any(String), deadline: expect.any(Number) });
    expect(JSON.stringify(res.body)).not.toContain('Jane Roe');
    expect(await listed('alice', id)).toMatchObject({
      action: 'refund',
      agent: 'support-bot',
      summary: 'refund amount=75 customer_name=[redacted] reason=duplicate charge',
      quorum: { required: 1, approved: 0 },
    });
  });

  it('a globex request is seen by globex people only, though the group is the same', async () => {
    const res = await submit('other', refund(75));
    expect(res.body).toMatchObject({ status: 'pending', eligible: ['gina'] });
    await indexed('gina', res.body.id);
    expect((await read('alice', res.body.id)).status).toBe(404);
    expect(await listed('alice', res.body.id)).toBeUndefined();
    expect((await decide('alice', res.body.id)).status).toBe(404);
    expect((await decide('gina', res.body.id)).body).toMatchObject({ counted: true, state: { status: 'approved' } });
  });

  it('the list shows quorum progress as approvals count', async () => {
    const res = await submit('support', { blueprint: 'trust-escalation', action: 'wire', params: { amount: 5000 } });
    const big = res.body.id as string;
    expect(await indexed('carol', big)).toMatchObject({ summary: 'wire amount=5000', quorum: { required: 2, approved: 0 } });
    expect((await decide('carol', big)).body).toMatchObject({ counted: true, state: { status: 'pending', approvedBy: ['carol'] } });
    await eventually(async () => ((await listed('dave', big))?.quorum as { approved: number } | undefined)?.approved === 1);
  });

  it('an escalateTo member sees and may decide from the moment the escalation fires', { timeout: 30_000 }, async () => {
    const res = await submit('support', { blueprint: 'trust-escalation', action: 'wire', params: { amount: 10 } });
    expect([...res.body.eligible].sort()).toEqual(['carol', 'dave']);
    const esc = res.body.id as string;
    await indexed('carol', esc);
    expect((await read('bob', esc)).status).toBe(404);
    expect(await listed('bob', esc)).toBeUndefined();
    expect((await decide('bob', esc)).status).toBe(404);

    await eventually(async () => ((await read('carol', esc)).body.escalated === true ? true : null), 15_000);
    expect((await read('bob', esc)).body).toMatchObject({ escalated: true, eligible: ['carol', 'dave', 'bob'] });
    await eventually(() => listed('bob', esc));
    const decided = await decide('bob', esc);
    expect(decided.body).toMatchObject({ counted: true, state: { status: 'approved', approvedBy: ['bob'] } });
  });
});
