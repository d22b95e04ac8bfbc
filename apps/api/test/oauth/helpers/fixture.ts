import { expect } from 'vitest';
import { STRONG_PASSWORD } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { Browser, type Page } from './browser.js';
import { startGitHubStub, type GitHubStub } from './githubStub.js';
import { startOidcProvider, type TestAccount, type TestProvider } from '@portcullis/testing/oidcProvider';
import { startTokenTamper, type TokenTamper } from './tokenTamper.js';

/**
 * Everything an OAuth test needs, all real and on loopback: an OpenID Provider (used as the
 * generic `oidc` provider, through a pass-through token proxy that tests can make misbehave,
 * and directly as `google`), a GitHub stand-in, and an API configured for all three.
 */

export const WEB_URL = 'http://web.portcullis.test';
export const GITHUB_CLIENT = { clientId: 'gh-test-client', clientSecret: 'gh-test-secret-0123456789' };

export interface OAuthFixture {
  api: TestServer;
  provider: TestProvider;
  tamper: TokenTamper;
  github: GitHubStub;
  browser(): Browser;
  /** A new account at the OpenID Provider; its login name is returned (and is its `sub`). */
  account(claims: TestAccount): string;
  close(): Promise<void>;
}

let accountCounter = 0;

export async function startOAuthFixture(env: Record<string, string> = {}): Promise<OAuthFixture> {
  const provider = await startOidcProvider({ redirectUris: [`${WEB_URL}/api/auth/oauth/oidc/callback`, `${WEB_URL}/api/auth/oauth/google/callback`] });
  const tamper = await startTokenTamper(`${provider.issuer}/token`, provider.signingJwk);
  const github = await startGitHubStub(GITHUB_CLIENT);
  const api = await startServer({
    WEB_URL,
    OAUTH_ALLOW_INSECURE_REQUESTS: 'true',
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_NAME: 'Acme SSO',
    OIDC_TOKEN_URL: tamper.url,
    // The test provider's email_verified is believed, as Google's is; tests of an unbelieved one set 'false'.
    OIDC_TRUST_EMAIL: 'true',
    GOOGLE_ISSUER: provider.issuer,
    GOOGLE_CLIENT_ID: provider.clientId,
    GOOGLE_CLIENT_SECRET: provider.clientSecret,
    GITHUB_CLIENT_ID: GITHUB_CLIENT.clientId,
    GITHUB_CLIENT_SECRET: GITHUB_CLIENT.clientSecret,
    GITHUB_AUTHORIZE_URL: `${github.url}/login/oauth/authorize`,
    GITHUB_TOKEN_URL: `${github.url}/login/oauth/access_token`,
    GITHUB_API_URL: github.url,
    ...env,
  });
  return {
    api,
    provider,
    tamper,
    github,
    browser: () => new Browser(WEB_URL, api.url),
    account(claims) {
      accountCounter += 1;
      const login = `person-${Date.now().toString(36)}-${accountCounter}`;
      provider.accounts.set(login, claims);
      return login;
    },
    async close() {
      await api.close();
      await Promise.all([provider.close(), tamper.close(), github.close()]);
    },
  };
}

export const authorizeUrl = (provider: string, redirect?: string) =>
  `${WEB_URL}/api/auth/oauth/${provider}/authorize${redirect === undefined ? '' : `?redirect=${encodeURIComponent(redirect)}`}`;

/** Starts at the API, signs in at the provider; returns the callback URL the provider sent back (not yet visited). */
export async function toCallback(
  browser: Browser,
  options: { provider?: string; login: string; redirect?: string; consent?: 'allow' | 'deny'; editAuthorizeUrl?: (url: URL) => void },
): Promise<string> {
  const start = await browser.get(authorizeUrl(options.provider ?? 'oidc', options.redirect));
  expect(start.status).toBe(302);
  const url = new URL(start.location!);
  options.editAuthorizeUrl?.(url);
  return browser.throughProvider(url.toString(), { login: options.login, consent: options.consent });
}

/** The whole flow in one browser; returns the API's answer to the callback. */
export async function signInVia(browser: Browser, options: Parameters<typeof toCallback>[1]): Promise<Page> {
  return browser.get(await toCallback(browser, options));
}

/** Asserts the callback failed with `code`: a redirect to the login page, no session, the state cookie spent. */
export function expectFailure(page: Page, code: string, path = '/login'): void {
  expect(page.status).toBe(302);
  const location = new URL(page.location!);
  expect(location.origin + location.pathname).toBe(WEB_URL + path);
  expect(location.searchParams.get('error')).toBe(code);
  expect(page.setCookies.some((c) => c.startsWith('refresh_token=') && !c.startsWith('refresh_token=;'))).toBe(false);
  expect(page.setCookies.some((c) => /^portcullis_oauth_[0-9a-f]{12}=;.*Max-Age=0/i.test(c))).toBe(true);
}

/** The flow cookies (one per flow under way, `portcullis_oauth_<12 hex>`) a browser holds. */
export function flowCookies(browser: Browser): string[] {
  return browser.cookieNames(WEB_URL).filter((name) => /^portcullis_oauth_[0-9a-f]{12}$/.test(name));
}

/** The name of the one flow cookie a browser holds (asserts there is exactly one). */
export function flowCookie(browser: Browser): string {
  const names = flowCookies(browser);
  expect(names).toHaveLength(1);
  return names[0]!;
}

/** Asserts the callback signed the person in: session cookies set and a working refresh, like a password login. */
export async function expectSignedIn(
  browser: Browser,
  page: Page,
  path = '/dashboard',
): Promise<{ id: string; email: string; emailVerified: boolean; mfaEnabled: boolean }> {
  expect(page.status).toBe(302);
  expect(page.location).toBe(WEB_URL + path);
  expect(page.setCookies.find((c) => c.startsWith('refresh_token='))).toMatch(/HttpOnly/i);
  expect(page.setCookies.find((c) => c.startsWith('portcullis_session='))).toBeDefined();
  const refreshed = await browser.request('POST', `${WEB_URL}/api/auth/refresh`, { headers: { origin: WEB_URL } });
  expect(refreshed.status).toBe(200);
  const body = JSON.parse(refreshed.text);
  expect(body.accessToken).toEqual(expect.any(String));
  return body.user;
}

/** The newest login.failed audit event's details (the reason behind an oauth error code). */
export async function lastFailure(api: TestServer): Promise<Record<string, string>> {
  const [row] = await api.query<{ details: Record<string, string> }>(
    `select details from audit_events where type = 'login.failed' order by created_at desc limit 1`,
  );
  return row!.details;
}

/** A verified password account signed up in a browser, whose jar therefore holds its signed session cookie. */
export async function browserUser(fixture: OAuthFixture, email = `local.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@acme.example`) {
  const browser = fixture.browser();
  const res = await browser.request('POST', `${WEB_URL}/api/auth/register`, { json: { email, password: STRONG_PASSWORD, displayName: 'Linker' } });
  expect(res.status).toBe(201);
  const body = JSON.parse(res.text);
  await fixture.api.query(`update users set email_verified_at = now() where id = '${body.user.id}'`);
  return { browser, email, user: body.user as { id: string }, accessToken: body.accessToken as string, password: STRONG_PASSWORD };
}
