/**
 * The web console in a real browser (Chromium through playwright-core) on the real API, worker
 * and Temporal dev server: sign-in, the inbox card, Approve and Deny, live updates from decisions
 * made elsewhere, what a person who may not decide sees, and the page on a 375 px phone.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, KEYS, ROOT, startHarness, type Harness } from '../api/harness.js';
import { main } from '../../cli/main.js';
import { captureIO } from '../../cli/policy/capture.js';
import { launchBrowser } from '../support/browser.js';

/** Code passed to page.evaluate runs in the browser; the test program itself has no DOM types. */
declare const document: any;
interface ValidityState {
  valueMissing: boolean;
}

let h: Harness;
let browser: Browser;
/** Screenshots go to docs/screenshots with UPDATE_SCREENSHOTS=1, else to the test's temp dir. */
let shots: string;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  shots = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : path.join(h.dir, 'screenshots');
  await mkdir(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const refund = (amount: number, extra: Record<string, unknown> = {}) => ({
  blueprint: 'customer-support',
  action: 'refund',
  params: { amount, customer_name: 'Jane Roe', reason: 'duplicate charge', ...extra },
});

async function submit(body: Record<string, unknown>): Promise<string> {
  const res = await h.call('POST', '/v1/actions', { token: KEYS.support, body: { idempotencyKey: randomUUID(), ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.status).toBe('pending');
  return res.body.id as string;
}

async function signedIn(token: string, viewport = { width: 1100, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, baseURL: h.url });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
  return { context, page };
}

const cardOf = (page: Page, id: string) => page.locator(`article[data-id="${id}"]`);

describe('approving in the inbox', () => {
  it('signs in with a token, shows 75 and [redacted], and Approve answers the agent’s long poll', async () => {
    const id = await submit(refund(75));
    await eventually(async () => (await h.call('GET', '/v1/approvals', { token: KEYS.alice })).body.approvals.some((a: { id: string }) => a.id === id));
    const { context, page } = await signedIn(KEYS.alice);
    const card = cardOf(page, id);
    await card.waitFor();
    await expect(card.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('refund');
    const params = card.getByRole('definition');
    await expect(params.allTextContents()).resolves.toEqual(['75', '[redacted]', 'duplicate charge']);
    await expect(card.locator('.meta').textContent()).resolves.toBe('agent support-bot blueprint customer-support tenant acme channel web');
    await expect(card.locator('.why p').textContent()).resolves.toBe('Rule security.approvalWorkflows[0] at customer-support.yaml:20');
    await expect(card.locator('.explanation li').allTextContents()).resolves.toEqual([
      '1. request: well-formed',
      '2. requirements: none apply',
      '3. restricted: no resource named',
      '→ require approval by support-leads on slack: `refund.amount > 50` matched',
    ]);
    await expect(card.locator('[data-countdown]').textContent()).resolves.toMatch(/^in \d+(h \d\dm|m \d\ds)$/);
    await expect(card.locator('.quorum').textContent()).resolves.toBe('Approvals 0 of 1');
    await page.screenshot({ path: path.join(shots, 'inbox.png'), fullPage: true });

    const longPoll = h.call('GET', `/v1/actions/${id}?wait=30`, { token: KEYS.support });
    await card.getByLabel('Comment').fill('matches the duplicate charge');
    await card.getByRole('button', { name: 'Approve' }).click();
    const answered = await longPoll;
    expect(answered.body).toMatchObject({ status: 'approved', approvedBy: ['alice'], reason: 'approved by alice: matches the duplicate charge' });
    expect(answered.body.history.find((e: { event: string }) => e.event === 'approved')).toMatchObject({ who: 'alice', why: 'approved (1 of 1) (via web)' });
    await expect(card.getAttribute('data-status')).resolves.toBe('approved');
    await expect(card.locator('[data-outcome]').textContent()).resolves.toMatch(/^approved by alice at /);
    await expect(card.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
    await context.close();
  });

  it('Deny opens a dialog whose Reason is required, and the reason reaches the agent', async () => {
    const id = await submit(refund(80));
    const { context, page } = await signedIn(KEYS.bob);
    await page.goto(`/requests/${id}`);
    const card = cardOf(page, id);
    await card.getByRole('button', { name: 'Deny' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect(dialog.getByRole('heading').textContent()).resolves.toBe('Deny refund?');
    await page.screenshot({ path: path.join(shots, 'deny-dialog.png') });
    await dialog.getByRole('button', { name: 'Deny' }).click();
    // The empty reason is refused by the form itself: nothing was sent, the dialog is still open.
    await expect(dialog.getByLabel('Reason').evaluate((el) => (el as unknown as { validity: ValidityState }).validity.valueMissing)).resolves.toBe(true);
    await expect(dialog.isVisible()).resolves.toBe(true);
    expect((await h.call('GET', `/v1/actions/${id}`, { token: KEYS.support })).body.status).toBe('pending');

    await dialog.getByLabel('Reason').fill('customer already got a credit');
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await eventually(async () => (await card.getAttribute('data-status')) === 'denied');
    await expect(dialog.isVisible()).resolves.toBe(false);
    const state = (await h.call('GET', `/v1/actions/${id}`, { token: KEYS.support })).body;
    expect(state).toMatchObject({ status: 'denied', deniedBy: 'bob', reason: 'customer already got a credit' });
    await expect(card.locator('[data-outcome]').textContent()).resolves.toBe('denied by bob: customer already got a credit');
    await context.close();
  });

  it('a denial without a reason posted around the dialog is refused with a message', async () => {
    const id = await submit(refund(81));
    const { context, page } = await signedIn(KEYS.bob);
    const status = await page.evaluate(async (id) => {
      const csrf = document.body.dataset.csrf!;
      const res = await fetch(`/requests/${id}/decision`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-countersign-fragment': '1' },
        body: new URLSearchParams({ _csrf: csrf, decision: 'deny', reason: '  ' }),
      });
      return { status: res.status, text: await res.text() };
    }, id);
    expect(status.status).toBe(409);
    expect(status.text).toContain('A denial needs a reason: the agent and the audit log read it.');
    expect((await h.call('GET', `/v1/actions/${id}`, { token: KEYS.support })).body.status).toBe('pending');
    await context.close();
  });
});

describe('live updates', () => {
  it('a request that arrives and a decision made through the API show in an open inbox without reload', async () => {
    const { context, page } = await signedIn(KEYS.bob);
    await page.waitForFunction(() => document.readyState === 'complete');
    const id = await submit(refund(90));
    const card = cardOf(page, id);
    await card.waitFor({ timeout: 10_000 });
    const decided = await h.call('POST', `/v1/actions/${id}/decision`, { token: KEYS.alice, body: { decision: 'approve' } });
    expect(decided.status).toBe(200);
    const t0 = Date.now();
    await page.waitForFunction((id) => document.querySelector(`article[data-id="${id}"]`)?.getAttribute('data-status') === 'approved', id, { timeout: 10_000 });
    console.log(`live: an API decision reached the open inbox in ${Date.now() - t0} ms`);
    await expect(card.locator('[data-outcome]').textContent()).resolves.toMatch(/^approved by alice at /);
    await context.close();
  });
});

describe('who sees what', () => {
  it('an approver who may not decide sees an empty inbox and the not-found page for the request', async () => {
    const id = await submit(refund(95));
    const { context, page } = await signedIn(KEYS.eve);
    await expect(page.locator('[data-empty]').isVisible()).resolves.toBe(true);
    await expect(page.locator('article').count()).resolves.toBe(0);
    const res = await page.goto(`/requests/${id}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Nothing here');
    const made = await page.goto(`/requests/act_acme_${randomUUID().replaceAll('-', '')}`);
    expect(made?.status()).toBe(404);
    await expect(page.locator('main').textContent()).resolves.toBe(await page.goto(`/requests/${id}`).then(() => page.locator('main').textContent()));
    await context.close();
  });

  it.each([
    { who: 'an agent API key', token: KEYS.support },
    { who: 'an unknown token', token: 'not-a-token-anyone-has-000000' },
  ])('$who signs nobody in', async ({ token }) => {
    const context = await browser.newContext({ baseURL: h.url });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('That token signs in no approver. Check it and try again.');
    await expect(page.goto('/').then(() => new URL(page.url()).pathname)).resolves.toBe('/sign-in');
    await context.close();
  });

  it('a decision without the CSRF token is refused and changes nothing', async () => {
    const id = await submit(refund(96));
    const { context, page } = await signedIn(KEYS.alice);
    const res = await page.evaluate(async (id) => {
      const r = await fetch(`/requests/${id}/decision`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=approve' });
      return r.status;
    }, id);
    expect(res).toBe(403);
    expect((await h.call('GET', `/v1/actions/${id}`, { token: KEYS.support })).body.status).toBe('pending');
    await context.close();
  });

  it('a request link opened signed out asks for sign-in and returns to the request; sign-out ends the session', async () => {
    const id = await submit(refund(97));
    const context = await browser.newContext({ baseURL: h.url });
    const page = await context.newPage();
    await page.goto(`/requests/${id}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Token').fill(KEYS.alice);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await cardOf(page, id).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/requests/${id}`);
    const cookie = (await context.cookies()).find((c) => c.name === 'countersign_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    // The old cookie value no longer opens anything, even if replayed.
    const replay = await fetch(`${h.url}/requests/${id}`, { headers: { cookie: `countersign_session=${cookie!.value}` }, redirect: 'manual' });
    expect(replay.status).toBe(303);
    await context.close();
  });
});

describe('links from other channels', () => {
  it.each([
    { case: 'a fitting link shows the buttons', query: (hash: string) => `?h=${hash.slice(0, 16)}&exp=${Math.ceil(Date.now() / 1000) + 600}`, alert: null },
    { case: 'a link for another version of the request decides nothing', query: () => '?h=0000000000000000', alert: /^This link was made for another version of this request/ },
    { case: 'an expired link decides nothing', query: (hash: string) => `?h=${hash.slice(0, 16)}&exp=${Math.floor(Date.now() / 1000) - 60}`, alert: /^This link expired at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. The request is shown as it is now; open it from your inbox to decide\.$/ },
  ])('$case', async ({ query, alert }) => {
    const id = await submit(refund(70));
    const hash = (await h.call('GET', `/v1/actions/${id}`, { token: KEYS.alice })).body.requestHash as string;
    const { context, page } = await signedIn(KEYS.alice);
    await page.goto(`/requests/${id}${query(hash)}`);
    const card = cardOf(page, id);
    await card.waitFor();
    await expect(card.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(alert ? 0 : 1);
    if (alert) await expect(card.getByRole('alert').textContent()).resolves.toMatch(alert);
    await context.close();
  });
});

describe('history and hostile input', () => {
  it('lists decided requests with who and why, and filters by status', async () => {
    const approved = await submit(refund(60));
    const denied = await submit(refund(61));
    expect((await h.call('POST', `/v1/actions/${approved}/decision`, { token: KEYS.alice, body: { decision: 'approve' } })).status).toBe(200);
    expect((await h.call('POST', `/v1/actions/${denied}/decision`, { token: KEYS.bob, body: { decision: 'deny', reason: 'not a duplicate' } })).status).toBe(200);
    const { context, page } = await signedIn(KEYS.alice);
    const row = (id: string) => page.locator(`tr:has(a[href="/requests/${id}"])`);
    await eventually(async () => {
      await page.goto('/history');
      return (await row(approved).count()) === 1 && (await row(denied).count()) === 1;
    });
    await expect(row(approved).locator('td').allTextContents()).resolves.toEqual([
      'refundrefund amount=60 customer_name=[redacted] reason=duplicate charge',
      'approved',
      'customer-support',
      'support-bot',
      'alice',
      'approved by alice',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/),
    ]);
    await expect(row(denied).locator('td').nth(4).textContent()).resolves.toBe('bob');
    await expect(row(denied).locator('td').nth(5).textContent()).resolves.toBe('not a duplicate');
    await page.getByLabel('Status').selectOption('denied');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(row(denied).count()).resolves.toBe(1);
    await expect(row(approved).count()).resolves.toBe(0);
    await expect(page.locator('tbody .badge').allTextContents()).resolves.toEqual(expect.arrayContaining(['denied']));
    expect(new Set(await page.locator('tbody .badge').allTextContents())).toEqual(new Set(['denied']));
    await context.close();
  });

  it('shows markup an agent sent as text, never as markup', async () => {
    const hostile = '<img src=x onerror="document.body.dataset.pwned=1">';
    const id = await submit(refund(99, { reason: hostile }));
    const { context, page } = await signedIn(KEYS.alice);
    const card = cardOf(page, id);
    await card.waitFor();
    await expect(card.getByRole('definition').nth(2).textContent()).resolves.toBe(hostile);
    await expect(card.locator('img').count()).resolves.toBe(0);
    await expect(page.evaluate(() => document.body.dataset.pwned ?? null)).resolves.toBeNull();
    await context.close();
  });
});

describe('on a phone', () => {
  it('the inbox fits 375 px without sideways scrolling and the controls keep their names', async () => {
    const id = await submit(refund(98, { customer_name: 'Jane Roe', note: 'a rather long note that must wrap on a narrow phone screen' }));
    const { context, page } = await signedIn(KEYS.alice, { width: 375, height: 812 });
    const card = cardOf(page, id);
    await card.waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await expect(card.getByRole('button', { name: 'Approve' }).isVisible()).resolves.toBe(true);
    await expect(card.getByRole('button', { name: 'Deny' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(shots, 'inbox-phone.png'), fullPage: false });
    await context.close();
  });
});

describe('policy playground', () => {
  /** What the CLI prints for `yaml` saved as playground.yaml: the playground must show the same. */
  async function cli(args: string[], yaml: string): Promise<{ out: string; err: string }> {
    const dir = await mkdtemp(path.join(tmpdir(), 'countersign-playground-'));
    await writeFile(path.join(dir, 'playground.yaml'), yaml);
    const io = captureIO({ cwd: dir });
    await main(args, io);
    return { out: io.stdoutText().trimEnd(), err: io.stderrText().trimEnd() };
  }

  it('lints a broken edit at its line and column, then explains a request exactly as `policy explain` does', async () => {
    const { context, page } = await signedIn(KEYS.alice);
    await page.getByRole('link', { name: 'Policy playground' }).click();
    const editor = page.getByLabel('Policy YAML');
    const original = await editor.inputValue();
    expect(original).toBe(await readFile(path.join(h.dir, 'policies', 'customer-support.yaml'), 'utf8'));
    await expect(page.locator('#pg-lint').textContent()).resolves.toBe('No problems.');
    await expect(page.locator('#pg-fields label').allTextContents()).resolves.toContain('refund.amount');

    const broken = original.replace('"refund.amount > 50"', '"refund.amount >> 50"');
    expect(broken).not.toBe(original);
    await editor.fill(broken);
    const problem = page.locator('#pg-lint li').first();
    await problem.waitFor();
    const lint = await cli(['policy', 'lint', 'playground.yaml'], broken);
    const [, line, column, code] = /^playground\.yaml:(\d+):(\d+): ([a-z-]+): /.exec(lint.out)!;
    expect(line).toBe('20');
    await expect(problem.getAttribute('data-line')).resolves.toBe(line);
    await expect(problem.getAttribute('data-column')).resolves.toBe(column);
    await expect(problem.locator('code').textContent()).resolves.toBe(code);
    await expect(editor.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.screenshot({ path: path.join(shots, 'playground-lint.png'), fullPage: true });

    await editor.fill(original);
    await page.locator('#pg-lint .ok').waitFor();
    await page.getByLabel('refund.amount').fill('75');
    await expect(page.getByLabel('Request JSON').inputValue().then((t) => JSON.parse(t))).resolves.toEqual({ action: 'refund', params: { amount: 75 } });
    await page.getByLabel('Time').fill('2026-11-24T10:00:00Z');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.locator('#pg-result pre').waitFor();
    await expect(page.locator('[data-verdict]').textContent()).resolves.toBe('require_approval');
    const explained = await cli(['policy', 'explain', 'playground.yaml', '--action', '{"action":"refund","params":{"amount":75}}', '--at', '2026-11-24T10:00:00Z'], original);
    await expect(page.locator('#pg-result pre').textContent()).resolves.toBe(explained.out);
    await page.screenshot({ path: path.join(shots, 'playground.png'), fullPage: true });
    await context.close();
  });
});

describe('the audit log, for auditors', () => {
  const auditFile = () => path.join(h.config.dataDir, 'audit.jsonl');

  it('shows an auditor the verified chain and their tenants’ entries with PII redacted; others get nothing', async () => {
    const id = await submit(refund(77));
    // security-ops asks for signed entries: an auto-approved block-ip writes some.
    const soc = await h.call('POST', '/v1/actions', { token: KEYS.soc, body: { blueprint: 'security-ops', action: 'block-ip', resource: '203.0.113.9', params: { threat_score: 95, source: 'known-malicious' }, idempotencyKey: randomUUID() } });
    expect(soc.body.status).toBe('approved');
    await eventually(async () => {
      const log = await readFile(auditFile(), 'utf8').catch(() => '');
      return log.includes(`"id":"${id}"`) && log.includes(`"id":"${soc.body.id}"`);
    });
    const { context, page } = await signedIn(KEYS.audrey);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect(page.locator('[data-chain]').getAttribute('data-chain')).resolves.toBe('ok');
    await expect(page.locator('[data-chain]').textContent()).resolves.toMatch(/^Chain intact: \d+ entries, every hash links to the one before\. \d+ signed entries verified \(Ed25519, keys [0-9a-f]{16}\)\.$/);
    const submitted = page.locator(`tr:has(a[href="/requests/${id}"]):has(.badge:text-is("submitted"))`);
    await expect(submitted.count()).resolves.toBe(1);
    const data = JSON.parse((await submitted.locator('pre.data').textContent())!);
    expect(data.request.params).toEqual({ amount: 77, customer_name: '[redacted]', reason: 'duplicate charge' });
    await page.screenshot({ path: path.join(shots, 'audit.png'), fullPage: false });
    await context.close();

    const alice = await signedIn(KEYS.alice);
    await expect(alice.page.getByRole('link', { name: 'Audit log' }).count()).resolves.toBe(0);
    expect((await alice.page.goto('/audit'))?.status()).toBe(404);
    await alice.context.close();
  });

  it('names the first bad line when an entry was edited', async () => {
    const text = await readFile(auditFile(), 'utf8');
    const lines = text.split('\n');
    lines[1] = lines[1]!.replace('"event":"', '"event":"x');
    await writeFile(auditFile(), lines.join('\n'));
    const { context, page } = await signedIn(KEYS.audrey);
    await page.goto('/audit');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Chain broken at line 2: /);
    await context.close();
  });
});

describe('the kill switch in the console', () => {
  it('the inbox says what is frozen, by whom and why', async () => {
    const res = await h.call('POST', '/v1/admin/freezes', { token: KEYS.admin, body: { scope: 'agent', value: 'support-bot', reason: 'credential leak' } });
    expect(res.status).toBe(201);
    try {
      const { context, page } = await signedIn(KEYS.alice);
      const frozen = page.getByRole('region', { name: 'Frozen' });
      await expect(frozen.locator('li').allTextContents()).resolves.toEqual([
        expect.stringMatching(/^agent support-bot: frozen by root at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: credential leak\. New submissions are refused\.$/),
      ]);
      await context.close();
    } finally {
      await h.call('DELETE', '/v1/admin/freezes/agent/support-bot', { token: KEYS.admin });
    }
  });
});
