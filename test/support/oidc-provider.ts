/**
 * A real OpenID provider on 127.0.0.1 for the console's sign-in tests: `oidc-provider` (a certified
 * implementation) with its development login form (any login name, any password; the account's
 * email is `<login>@example.com`, verified). PKCE is required, as a production provider should.
 * `tamperNonce` makes the provider issue ID tokens for another nonce than the one asked for, as a
 * replayed or injected answer would carry.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers the relying party's redirect URI (known once the API listens). */
  register(redirectUri: string): void;
  tamperNonce: boolean;
  close(): Promise<void>;
}

export async function startOidcProvider(): Promise<TestProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'countersign-console';
  const clientSecret = 'test-oidc-client-secret-000000000001';
  const state = {
    issuer,
    clientId,
    clientSecret,
    tamperNonce: false,
    register(redirectUri: string) {
      const provider = new Provider(issuer, {
        clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
        pkce: { required: () => true },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        findAccount: async (_ctx, id) => ({
          accountId: id,
          claims: async () => ({ sub: id, email: `${id}@example.com`, email_verified: true, name: id }),
        }),
        cookies: { keys: ['test-provider-cookie-key-0000000001'] },
        features: { devInteractions: { enabled: true } },
      });
      provider.use(async (ctx, next) => {
        if (state.tamperNonce && ctx.path === '/auth' && typeof ctx.query.nonce === 'string') ctx.query = { ...ctx.query, nonce: 'a-nonce-this-browser-never-sent' };
        await next();
      });
      handler = provider.callback();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return state;
}
