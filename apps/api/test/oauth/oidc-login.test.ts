import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openState } from '../../src/http/oauth/stateCookie.js';
import { request } from '@portcullis/testing/http';
import { startServer } from '@portcullis/testing/server';
import { authorizeUrl, expectSignedIn, flowCookie, flowCookies, signInVia, startOAuthFixture, WEB_URL, type OAuthFixture } from './helpers/fixture.js';

/** Sign-in through a real OpenID Provider, end to end over HTTP. */

let f: OAuthFixture;
beforeAll(async () => {
  f = await startOAuthFixture();
});
afterAll(async () => {
  await f?.close();
});

describe('GET /api/auth/oauth/providers', () => {
  it('lists the configured providers with their display names', async () => {
    const res = await request(f.api.url, 'GET', '/api/auth/oauth/providers');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      providers: [
        { id: 'google', name: 'Google' },
        { id: 'github', name: 'GitHub' },
        { id: 'oidc', name: 'Acme SSO' },
      ],
    });
  });

  it('lists none when none is configured, and refuses their routes with 404', async () => {
    const bare = await startServer();
    try {
      expect((await request(bare.url, 'GET', '/api/auth/oauth/providers')).body).toEqual({ providers: [] });
      const res = await request(bare.url, 'GET', '/api/auth/oauth/google/authorize');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    } finally {
      await bare.close();
    }
  });

  it('answers 404 for an unknown provider', async () => {
    for (const path of ['/api/auth/oauth/facebook/authorize', '/api/auth/oauth/facebook/callback?code=x&state=y']) {
      const res = await request(f.api.url, 'GET', path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });
});

describe('GET /api/auth/oauth/oidc/authorize', () => {
  it('redirects to the provider with PKCE S256, state and nonce, bound to an encrypted short-lived cookie', async () => {
    const browser = f.browser();
    const res = await browser.get(authorizeUrl('oidc', '/projects'));
    expect(res.status).toBe(302);
    const url = new URL(res.location!);
    expect(url.origin).toBe(f.provider.issuer);
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(f.provider.clientId);
    expect(q.get('redirect_uri')).toBe(`${WEB_URL}/api/auth/oauth/oidc/callback`);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')!.length).toBeGreaterThanOrEqual(22);
    expect(q.get('nonce')!.length).toBeGreaterThanOrEqual(22);
    expect(q.get('scope')).toBe('openid email profile');

    const cookie = res.setCookies.find((c) => c.startsWith(`${flowCookie(browser)}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/api\/auth\/oauth(;|$)/);
    expect(cookie).toMatch(/Max-Age=600/);
    const sealed = browser.cookie(WEB_URL, flowCookie(browser))!;
    // Nothing readable in the cookie itself; it opens only with the server's key.
    expect(sealed).not.toContain(q.get('state'));
    const result = await openState(f.api.ctx.keys.oauthState, sealed, { provider: 'oidc', state: q.get('state') });
    if (!result.ok) throw new Error(`the flow cookie did not open: ${result.reason}`);
    const opened = result.flow;
    expect(opened).toMatchObject({ provider: 'oidc', state: q.get('state'), nonce: q.get('nonce'), redirect: '/projects', intent: { kind: 'login' } });
    expect(opened.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });
});

describe('the full flow', () => {
  it('creates an account for a new person and signs them in like a password login', async () => {
    const email = `new.${Date.now()}@acme.example`;
    const login = f.account({ email, email_verified: true, name: 'Ada Lovelace' });
    const browser = f.browser();
    const page = await signInVia(browser, { login });
    const user = await expectSignedIn(browser, page);
    expect(user).toMatchObject({ email, displayName: 'Ada Lovelace', emailVerified: true, mfaEnabled: false, role: 'user' });
    expect(flowCookies(browser)).toEqual([]);

    const [row] = await f.api.query<{ password_hash: string | null }>(`select password_hash from users where id = '${user.id}'`);
    expect(row!.password_hash).toBeNull();
    const links = await f.api.query(`select provider, subject, email, email_verified from oauth_accounts where user_id = '${user.id}'`);
    expect(links).toEqual([{ provider: 'oidc', subject: login, email, email_verified: true }]);
    const events = await f.api.query<{ type: string; details: Record<string, unknown> }>(
      `select type, details from audit_events where user_id = '${user.id}' order by created_at`,
    );
    expect(events.map((e) => e.type)).toEqual(['user.registered', 'oauth.linked', 'login.succeeded']);
    expect(events[2]!.details).toMatchObject({ method: 'oauth', provider: 'oidc', how: 'created' });
  });

  it('signs a known identity in to the same account again, and honours a relative redirect', async () => {
    const login = f.account({ email: `again.${Date.now()}@acme.example`, email_verified: true });
    const firstBrowser = f.browser();
    const first = await expectSignedIn(firstBrowser, await signInVia(firstBrowser, { login }));
    const browser = f.browser();
    const page = await signInVia(browser, { login, redirect: '/projects?tab=mine#top' });
    const second = await expectSignedIn(browser, page, '/projects?tab=mine#top');
    expect(second.id).toBe(first.id);
    const [count] = await f.api.query<{ n: number }>(`select count(*)::int as n from oauth_accounts where subject = '${login}'`);
    expect(count!.n).toBe(1);
  });

  it('never redirects off the web app: redirect=https://evil.example lands on /dashboard', async () => {
    for (const redirect of ['https://evil.example', '//evil.example/x', '/\\evil.example']) {
      const login = f.account({ email: `redirect.${Date.now()}.${Math.random()}@acme.example`, email_verified: true });
      const browser = f.browser();
      const page = await signInVia(browser, { login, redirect });
      await expectSignedIn(browser, page, '/dashboard');
    }
  });

  it('works the same with "Continue with Google" (OpenID Connect discovery, no endpoint overrides)', async () => {
    const email = `google.${Date.now()}@gmail.example`;
    const login = f.account({ email, email_verified: true, name: 'Grace Hopper' });
    const browser = f.browser();
    const page = await signInVia(browser, { provider: 'google', login });
    const user = await expectSignedIn(browser, page);
    expect(user.email).toBe(email);
    const links = await f.api.query(`select provider from oauth_accounts where user_id = '${user.id}'`);
    expect(links).toEqual([{ provider: 'google' }]);
  });
});

describe('OpenAPI', () => {
  it('describes every OAuth endpoint', async () => {
    const doc = (await request(f.api.url, 'GET', '/api/openapi.json')).body;
    for (const [path, method] of [
      ['/api/auth/oauth/providers', 'get'],
      ['/api/auth/oauth/{provider}/authorize', 'get'],
      ['/api/auth/oauth/{provider}/callback', 'get'],
      ['/api/auth/oauth/mfa', 'post'],
      ['/api/auth/oauth/{provider}/link', 'post'],
      ['/api/auth/oauth/accounts', 'get'],
      ['/api/auth/oauth/accounts/{id}', 'delete'],
    ]) {
      expect(doc.paths[path!]?.[method!]?.responses, `${method} ${path}`).toBeDefined();
    }
  });
});
