/**
 * `POST /v1/policy/lint` and `POST /v1/policy/explain` on the real API: for people only, the
 * service's groups and channels, positioned errors, and the same text `countersign policy explain`
 * prints.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';
import { KEYS, ROOT, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const REFUND = '{"action":"refund","params":{"amount":75}}';

describe('POST /v1/policy/explain', () => {
  it('explains a loaded blueprint exactly as the CLI does', async () => {
    const res = await h.call('POST', '/v1/policy/explain', { token: KEYS.alice, body: { blueprint: 'customer-support', request: REFUND, at: '2026-11-24T10:00:00Z' } });
    expect(res.status).toBe(200);
    const io = captureIO({ cwd: ROOT });
    await main(['policy', 'explain', 'policies/customer-support.yaml', '--action', REFUND, '--at', '2026-11-24T10:00:00Z'], io);
    expect(res.body.text).toBe(io.stdoutText().trimEnd().replace('policies/customer-support.yaml', 'customer-support.yaml'));
    expect(res.body.decision).toMatchObject({ verdict: 'require_approval', approvers: ['support-leads'] });
  });

  it.each([
    { case: 'bad request JSON', body: { blueprint: 'customer-support', request: '{"action": }' }, error: { file: 'request', line: 1, column: 12, code: 'bad-request' } },
    { case: 'an unknown request field', body: { blueprint: 'customer-support', request: '{"action":"refund","parms":{}}' }, error: { file: 'request', code: 'bad-request', message: 'unknown request field "parms"', hint: 'did you mean params?' } },
    { case: 'a bad time', body: { blueprint: 'customer-support', request: REFUND, at: 'tuesday' }, error: { file: 'at', code: 'bad-request' } },
    { case: 'an unknown blueprint', body: { blueprint: 'nope', request: REFUND }, error: { file: 'blueprint', message: 'no loaded blueprint is named nope' } },
  ])('$case: ok false with a positioned error', async ({ body, error }) => {
    const res = await h.call('POST', '/v1/policy/explain', { token: KEYS.alice, body });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.errors[0]).toMatchObject(error);
  });

  it.each([
    { who: 'an agent key', token: KEYS.support, status: 403, code: 'forbidden' },
    { who: 'no credential', token: undefined, status: 401, code: 'unauthorized' },
  ])('$who is refused', async ({ token, status, code }) => {
    const res = await h.call('POST', '/v1/policy/explain', { ...(token ? { token } : {}), body: { blueprint: 'customer-support', request: REFUND } });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('names exactly one of blueprint and yaml', async () => {
    const res = await h.call('POST', '/v1/policy/explain', { token: KEYS.alice, body: { request: REFUND } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('invalid body: blueprint: name exactly one of blueprint and yaml');
  });
});

describe('POST /v1/policy/lint', () => {
  it('checks approver groups against countersign.yaml, positioned like `policy lint`', async () => {
    const text = (await readFile(path.join(ROOT, 'policies', 'customer-support.yaml'), 'utf8')).replace('approver: support-leads', 'approver: support-leeds');
    const res = await h.call('POST', '/v1/policy/lint', { token: KEYS.alice, body: { yaml: text } });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({ file: 'playground.yaml', line: 21, code: 'unknown-group' });
    expect(res.body.errors[0].hint).toMatch(/support-leads/);
  });

  it('lists the fields a good policy reads', async () => {
    const text = await readFile(path.join(ROOT, 'policies', 'infra-management.yaml'), 'utf8');
    const res = await h.call('POST', '/v1/policy/lint', { token: KEYS.alice, body: { yaml: text } });
    expect(res.body).toMatchObject({ ok: true, blueprint: 'infra-management' });
    expect(res.body.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['environment', 'factor']));
  });
});
