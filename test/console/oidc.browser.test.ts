/**
 * Console sign-in through OpenID Connect in a real browser, against a real OpenID provider
 * (`oidc-provider`) started here: authorization code with PKCE, the email claim mapped to an
 * approver, a person who maps to nobody, and answers with a wrong `state` or `nonce` refused.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startHarness, type Harness } from '../api/harness.js';
import { launchBrowser } from '../support/browser.js';
import { startOidcProvider, type TestProvider } from '../support/oidc-provider.js';

let h: Harness;
let idp: TestProvider;
let browser: Browser;

beforeAll(async () => {
  idp = await startOidcProvider();
  [h, browser] = await Promise.all([
    startHarness({ console: { oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, claim: 'email', label: 'Example SSO' } } }),
    launchBrowser(),
  ]);
  idp.register(`${h.url}/sign-in/oidc/callback`);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
  await idp?.close();
});

/** From the console's sign-in page through the provider's login and consent, up to the callback. */
async function throughProvider(page: Page, login: string): Promise<void> {
  page.setDefaultTimeout(10_000);
  await page.goto(`${h.url}/`);
  await page.getByRole('button', { name: 'Sign in with Example SSO' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('sign-in through OpenID Connect', () => {
  it('an approver’s email signs them in and the inbox opens', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await throughProvider(page, 'alice');
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    expect(new URL(page.url()).origin).toBe(h.url);
    await expect(page.locator('.who span').textContent()).resolves.toBe('Alice');
    expect(h.log.lines.some((l) => l.msg === 'console sign-in: alice' && l.method === 'oidc')).toBe(true);
    await context.close();
  });

  it('a person who is no approver sees only the page saying so', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await throughProvider(page, 'mallory');
    await page.getByRole('heading', { level: 1, name: 'You are not an approver here' }).waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('mallory@example.com');
    await expect(page.getByRole('navigation').count()).resolves.toBe(0);
    const history = await page.goto(`${h.url}/history`);
    expect(history?.status()).toBe(403);
    await context.close();
  });

  it('an answer that belongs to another browser’s sign-in (another state) is refused, and no session is made', async () => {
    // Someone else's sign-in runs to its callback: its code and state are what an attacker would inject.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    let callback: string | null = null;
    otherPage.on('request', (r) => {
      if (r.url().includes('/sign-in/oidc/callback')) callback ??= r.url();
    });
    await throughProvider(otherPage, 'bob');
    await otherPage.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    await other.close();
    expect(callback).not.toBeNull();
    // This browser starts its own sign-in, then is sent the other answer.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.url}/`);
    await page.getByRole('button', { name: 'Sign in with Example SSO' }).click();
    await page.locator('input[name="login"]').waitFor();
    const res = await page.goto(callback!);
    expect(res?.status()).toBe(400);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Sign-in failed: the identity provider's answer does not belong to this sign-in \(.*state.*\)\.$/);
    expect((await context.cookies()).some((c) => c.name === 'countersign_session')).toBe(false);
    await context.close();
  });

  it('an ID token for another nonce is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    idp.tamperNonce = true;
    try {
      await throughProvider(page, 'alice');
      await page.getByRole('alert').waitFor();
      await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Sign-in failed: the identity provider's answer does not belong to this sign-in \(.*nonce.*\)\.$/);
      expect((await context.cookies()).some((c) => c.name === 'countersign_session')).toBe(false);
    } finally {
      idp.tamperNonce = false;
    }
    await context.close();
  });

  it('approver tokens do not open the console while OpenID Connect is configured', async () => {
    const res = await fetch(`${h.url}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: KEYS.alice, next: '/' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('Sign in with Example SSO: approver tokens do not open the console here.');
  });
});
