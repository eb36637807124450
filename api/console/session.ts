/**
 * Console sessions: a signed cookie (HMAC-SHA256 over its JSON payload) naming the approver, how
 * they signed in and when it ends. Stateless, so any API process with the same
 * `COUNTERSIGN_SESSION_SECRET` reads it; sign-out clears the cookie and revokes the session id in
 * this process. A token sign-in carries a digest of the token, so rotating the approver's token in
 * `countersign.yaml` ends their sessions. CSRF tokens derive from the session id and the secret.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Approver } from '../../core/index.js';
import { credentialsOf } from '../auth.js';

export const SESSION_COOKIE = 'countersign_session';
/** Eight hours: one working day, then sign in again. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export const SignInMethod = { Token: 'token', Oidc: 'oidc' } as const;
export type SignInMethod = (typeof SignInMethod)[keyof typeof SignInMethod];

/** What a valid session cookie says. */
export interface Session {
  /** Random id: CSRF tokens and revocation are keyed on it. */
  sid: string;
  /** The approver id. */
  sub: string;
  method: SignInMethod;
  /** Epoch ms. */
  expiresAt: number;
  /** For token sign-ins: the first 16 hex of sha256(token). */
  tokenDigest?: string;
  /** Signed in through the provider but no approver is this person: `sub` is their claim value. */
  unmapped?: true;
}

const b64 = (buf: Buffer | string): string => Buffer.from(buf).toString('base64url');
const tokenDigestOf = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 16);

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Sessions {
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now,
    readonly ttlMs: number = SESSION_TTL_MS,
  ) {}

  /** A fresh session for `approver` and its cookie value. */
  issue(approver: Approver, method: SignInMethod, token?: string): { session: Session; cookie: string } {
    const session: Session = { sid: randomBytes(16).toString('base64url'), sub: approver.id, method, expiresAt: this.now() + this.ttlMs };
    const presented = token ?? approver.token;
    if (method === SignInMethod.Token && presented !== undefined) session.tokenDigest = tokenDigestOf(presented);
    const payload = b64(JSON.stringify(session));
    return { session, cookie: `${payload}.${this.mac(payload)}` };
  }

  /** A session for someone the provider vouches for but who is no approver: they see the not-an-approver page. */
  issueUnmapped(subject: string): { session: Session; cookie: string } {
    const session: Session = { sid: randomBytes(16).toString('base64url'), sub: subject, method: SignInMethod.Oidc, expiresAt: this.now() + this.ttlMs, unmapped: true };
    const payload = b64(JSON.stringify(session));
    return { session, cookie: `${payload}.${this.mac(payload)}` };
  }

  /**
   * The session a cookie value carries, when its signature holds, it has not expired or been
   * revoked, its approver exists and (token sign-in) still has the token it signed in with.
   */
  read(value: string | undefined, approvers: ReadonlyMap<string, Approver>): { session: Session; approver: Approver | null } | null {
    if (!value) return null;
    const dot = value.indexOf('.');
    if (dot <= 0) return null;
    const payload = value.slice(0, dot);
    if (!equal(value.slice(dot + 1), this.mac(payload))) return null;
    let session: Session;
    try {
      session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
    } catch {
      return null;
    }
    if (typeof session.sid !== 'string' || typeof session.sub !== 'string' || !(session.expiresAt > this.now())) return null;
    if (this.revoked.has(session.sid)) return null;
    const approver = session.unmapped ? null : (approvers.get(session.sub) ?? null);
    // A token session lasts while the token it signed in with is one of the approver's, unexpired.
    if (approver && session.method === SignInMethod.Token && !stillValid(approver, session.tokenDigest, this.now())) return null;
    return { session, approver };
  }

  /** Ends `session` in this process (the browser's cookie is cleared by the caller). */
  revoke(session: Session): void {
    const now = this.now();
    for (const [sid, until] of this.revoked) if (until <= now) this.revoked.delete(sid);
    this.revoked.set(session.sid, session.expiresAt);
  }

  /** The CSRF token every state-changing request of `session` must carry. */
  csrfToken(session: Session): string {
    return this.mac(`csrf:${session.sid}`);
  }

  /** Whether `presented` is `session`'s CSRF token (constant time). */
  checkCsrf(session: Session, presented: string | undefined): boolean {
    return typeof presented === 'string' && equal(presented, this.csrfToken(session));
  }

  private mac(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}

function stillValid(approver: Approver, tokenDigest: string | undefined, now: number): boolean {
  if (tokenDigest === undefined) return false;
  return credentialsOf(approver, approver.token).some((c) => c.sha256.startsWith(tokenDigest) && (c.expiresAt === null || c.expiresAt > now));
}

/** The `name` cookie of a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The `Set-Cookie` value for a session cookie (`value` null clears it). */
export function sessionCookie(value: string | null, options: { secure: boolean; maxAgeMs: number }): string {
  const attrs = [`${SESSION_COOKIE}=${value ?? ''}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  attrs.push(value === null ? 'Max-Age=0' : `Max-Age=${Math.floor(options.maxAgeMs / 1000)}`);
  if (options.secure) attrs.push('Secure');
  return attrs.join('; ');
}
