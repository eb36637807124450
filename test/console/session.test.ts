/** Console sessions, CSRF tokens, redirects and HTML escaping: table-driven, no server. */
import { describe, expect, it } from 'vitest';
import { cookieValue, Sessions, sessionCookie, SignInMethod } from '../../api/console/session.js';
import { safeNext } from '../../api/console/origin.js';
import { escapeHtml, html } from '../../api/console/html.js';
import type { Approver } from '../../core/index.js';

const alice: Approver = { id: 'alice', name: 'Alice', token: 'token-alice-000000000000', tenants: ['acme'], auditorOf: [], identities: {} };
const secret = Buffer.from('s'.repeat(32));

describe('sessions', () => {
  let clock = 1_000_000;
  const sessions = new Sessions(secret, () => clock, 60_000);
  const approvers = new Map([[alice.id, alice]]);

  it('reads back what it issued, naming the approver', () => {
    const { cookie, session } = sessions.issue(alice, SignInMethod.Token);
    expect(sessions.read(cookie, approvers)).toEqual({ session, approver: alice });
  });

  it.each([
    { case: 'no cookie', value: () => undefined },
    { case: 'no signature', value: (c: string) => c.split('.')[0] },
    { case: 'a tampered payload', value: (c: string) => `${Buffer.from(JSON.stringify({ sid: 'x', sub: 'alice', method: 'token', expiresAt: 9e15 })).toString('base64url')}.${c.split('.')[1]}` },
    { case: 'a signature by another secret', value: () => new Sessions(Buffer.from('t'.repeat(32)), () => clock).issue(alice, SignInMethod.Token).cookie },
  ])('refuses $case', ({ value }) => {
    const { cookie } = sessions.issue(alice, SignInMethod.Token);
    expect(sessions.read(value(cookie), approvers)).toBeNull();
  });

  it('ends at expiry, on revoke, and when the approver’s token is rotated', () => {
    const a = sessions.issue(alice, SignInMethod.Token);
    clock += 60_000;
    expect(sessions.read(a.cookie, approvers)).toBeNull();
    const b = sessions.issue(alice, SignInMethod.Token);
    sessions.revoke(b.session);
    expect(sessions.read(b.cookie, approvers)).toBeNull();
    const c = sessions.issue(alice, SignInMethod.Token);
    expect(sessions.read(c.cookie, new Map([[alice.id, { ...alice, token: 'rotated-token-0000000000' }]]))).toBeNull();
  });

  it('keeps a session whose approver left the config, with approver null (the not-an-approver page)', () => {
    const { cookie } = sessions.issue(alice, SignInMethod.Oidc);
    expect(sessions.read(cookie, new Map())?.approver).toBeNull();
  });

  it.each([
    { presented: undefined, ok: false },
    { presented: '', ok: false },
    { presented: 'forged', ok: false },
  ])('CSRF token $presented is refused', ({ presented, ok }) => {
    const { session } = sessions.issue(alice, SignInMethod.Token);
    expect(sessions.checkCsrf(session, presented)).toBe(ok);
    expect(sessions.checkCsrf(session, sessions.csrfToken(session))).toBe(true);
  });
});

describe('cookies', () => {
  it.each([
    { header: 'a=1; countersign_session=abc.def; b=2', value: 'abc.def' },
    { header: 'countersign_sessionx=1', value: undefined },
    { header: undefined, value: undefined },
  ])('cookieValue($header)', ({ header, value }) => {
    expect(cookieValue(header, 'countersign_session')).toBe(value);
  });

  it.each([
    { value: 'v', secure: false, out: 'countersign_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60' },
    { value: 'v', secure: true, out: 'countersign_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure' },
    { value: null, secure: false, out: 'countersign_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' },
  ])('Set-Cookie for $value (secure $secure)', ({ value, secure, out }) => {
    expect(sessionCookie(value, { secure, maxAgeMs: 60_000 })).toBe(out);
  });
});

describe('safeNext', () => {
  it.each([
    { next: '/requests/act_acme_1', out: '/requests/act_acme_1' },
    { next: '/history?status=denied', out: '/history?status=denied' },
    { next: '//evil.example/', out: '/' },
    { next: '/\\evil.example', out: '/' },
    { next: 'https://evil.example/', out: '/' },
    { next: '/a b', out: '/' },
    { next: undefined, out: '/' },
  ])('$next → $out', ({ next, out }) => {
    expect(safeNext(next)).toBe(out);
  });
});

describe('html', () => {
  it('escapes interpolated text and keeps nested html', () => {
    const name = '<img src=x onerror="alert(1)">&\'';
    expect(html`<p title="${name}">${name}${html`<b>ok</b>`}${[1, null, false, undefined, 'x']}</p>`.value).toBe(
      `<p title="${escapeHtml(name)}">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;<b>ok</b>1x</p>`,
    );
  });
});
