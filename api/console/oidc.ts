/**
 * Sign-in through the company's OpenID Connect provider: the authorization-code flow with PKCE
 * (S256), `state` and `nonce`, by `openid-client`. The verifier, state, nonce and where to return
 * ride in a short-lived signed cookie between the redirect and the callback, so any API process
 * can finish a flow another began. The provider's discovery document is fetched at the first
 * sign-in (an unreachable provider fails that sign-in, not the service's start).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Approver } from '../../core/index.js';

export const OIDC_FLOW_COOKIE = 'countersign_oidc';
/** Ten minutes to come back from the provider. */
export const OIDC_FLOW_TTL_MS = 10 * 60 * 1000;

/** COUNTERSIGN_OIDC_*: where the provider is and which claim names the approver. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** `email` (default) matches `approvers[].email`; any other claim matches `approvers[].id`. */
  claim: string;
  /** Shown on the button: "Sign in with <label>". */
  label: string;
}

/** Why a sign-in did not complete, in words for the person and the log. */
export class OidcSignInError extends Error {}

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  expiresAt: number;
}

/** Who signed in: the claim value and, when it maps to one, the approver. */
export interface OidcIdentity {
  subject: string;
  approver: Approver | null;
}

export class OidcSignIn {
  private config: Promise<oidc.Configuration> | null = null;

  constructor(
    readonly settings: OidcSettings,
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  /** The provider URL to send the browser to, and the flow cookie to set first. */
  async start(redirectUri: string, next: string): Promise<{ url: string; cookie: string }> {
    const config = await this.configuration();
    const flow: Flow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), next, expiresAt: this.now() + OIDC_FLOW_TTL_MS };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.claim === 'email' ? 'openid email profile' : 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, cookie: this.seal(flow) };
  }

  /**
   * Completes the flow from the callback URL: the code is exchanged with the PKCE verifier, and
   * the answer must carry this browser's `state` and an ID token with its `nonce`.
   * @throws {OidcSignInError} for a missing or stale flow cookie, a wrong state or nonce, a failed exchange.
   */
  async finish(callback: URL, cookie: string | undefined, approvers: readonly Approver[]): Promise<OidcIdentity & { next: string }> {
    const flow = this.open(cookie);
    if (!flow) throw new OidcSignInError('this sign-in was not started here or took longer than ten minutes: start again');
    const error = callback.searchParams.get('error');
    if (error) throw new OidcSignInError(`the identity provider refused: ${error}${callback.searchParams.get('error_description') ? ` (${callback.searchParams.get('error_description')})` : ''}`);
    const config = await this.configuration();
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      const idToken = tokens.claims();
      if (!idToken) throw new OidcSignInError('the identity provider sent no ID token');
      claims = idToken;
      // Many providers put profile claims only in UserInfo; its `sub` must be the ID token's.
      if (claims[this.settings.claim] === undefined) claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
    } catch (e) {
      if (e instanceof OidcSignInError) throw e;
      throw new OidcSignInError(`the identity provider's answer does not belong to this sign-in (${describe(e)})`);
    }
    const value = claims[this.settings.claim];
    if (typeof value !== 'string' || value === '') throw new OidcSignInError(`the ID token has no ${this.settings.claim} claim`);
    if (this.settings.claim === 'email' && claims.email_verified === false) throw new OidcSignInError(`the identity provider has not verified ${value}`);
    const approver =
      this.settings.claim === 'email'
        ? (approvers.find((a) => a.email !== undefined && a.email.toLowerCase() === value.toLowerCase()) ?? null)
        : (approvers.find((a) => a.id === value) ?? null);
    return { subject: value, approver, next: flow.next };
  }

  private configuration(): Promise<oidc.Configuration> {
    this.config ??= oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, {
        // An http issuer is only accepted on loopback (a provider started on this machine).
        ...(isLoopbackHttp(this.settings.issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        this.config = null;
        throw new OidcSignInError(`the identity provider at ${this.settings.issuer} cannot be reached (${error instanceof Error ? error.message : String(error)})`);
      });
    return this.config;
  }

  private seal(flow: Flow): string {
    const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  private open(cookie: string | undefined): Flow | null {
    if (!cookie) return null;
    const dot = cookie.indexOf('.');
    if (dot <= 0) return null;
    const payload = cookie.slice(0, dot);
    const mac = Buffer.from(cookie.slice(dot + 1));
    const expected = Buffer.from(this.mac(payload));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return null;
    try {
      const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Flow;
      return flow.expiresAt > this.now() ? flow : null;
    } catch {
      return null;
    }
  }

  private mac(data: string): string {
    return createHmac('sha256', this.secret).update(`oidc-flow:${data}`).digest('base64url');
  }
}

/**
 * What went wrong, from the innermost error: openid-client wraps oauth4webapi's specific message
 * (`unexpected "state" response parameter value`) in a generic one (`invalid response encountered`).
 */
function describe(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let c: unknown = error instanceof Error ? error.cause : null, depth = 0; c instanceof Error && depth < 4; depth++, c = c.cause) message = c.message;
  return message;
}

function isLoopbackHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** The `Set-Cookie` value of the flow cookie (`value` null clears it). */
export function flowCookie(value: string | null, secure: boolean): string {
  const attrs = [`${OIDC_FLOW_COOKIE}=${value ?? ''}`, 'Path=/sign-in/oidc', 'HttpOnly', 'SameSite=Lax', value === null ? 'Max-Age=0' : `Max-Age=${OIDC_FLOW_TTL_MS / 1000}`];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}
