import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

/**
 * A real OpenID Provider (panva's certified `oidc-provider`) on a random loopback port, with its
 * own development login and consent pages, one confidential test client, and test accounts
 * (the login name typed on its login page is the account's `sub`).
 */

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's signing key (private), to forge tokens it would have signed. */
  signingJwk: JWK & { kid: string; alg: string };
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

/**
 * `issuerHost` names the provider in its URLs (default 127.0.0.1); `localhost` makes it another
 * *site* than a web app on 127.0.0.1, so the browser's return to the callback is cross-site as in production.
 * `redirectUris` is read when the first request arrives: push to it until then.
 */
export async function startOidcProvider(options: {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
  issuerHost?: string;
}): Promise<TestProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://${options.issuerHost ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingJwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' } as JWK & { kid: string; alg: string };
  const accounts = new Map<string, TestAccount>();
  const clientId = options.clientId ?? 'portcullis-test';
  const clientSecret = options.clientSecret ?? 'portcullis-test-secret-0123456789abcdef';

  // Built on the first request, so redirect URIs pushed after start (a web port chosen later) count.
  const build = () =>
    new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: options.redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [signingJwk] },
      cookies: { keys: ['oidc-provider-test-cookie-key'] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      async findAccount(_ctx: unknown, sub: string) {
        const account = accounts.get(sub);
        if (!account) return undefined;
        return { accountId: sub, claims: async () => ({ sub, ...account }) };
      },
    });
  let handler: ReturnType<InstanceType<typeof Provider>['callback']> | undefined;
  server.on('request', (req, res) => {
    handler ??= build().callback();
    handler(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signingJwk,
    accounts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type { Server };
