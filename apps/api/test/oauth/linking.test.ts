import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import { codeAt, previousStepCode } from '@portcullis/testing/totp';
import type { Browser } from './helpers/browser.js';
import { browserUser, expectFailure, expectSignedIn, lastFailure, signInVia, startOAuthFixture, WEB_URL, type OAuthFixture } from './helpers/fixture.js';

/** Which account a provider identity signs in to, MFA after the provider, and linking from settings. */

let f: OAuthFixture;
beforeAll(async () => {
  f = await startOAuthFixture();
});
afterAll(async () => {
  await f?.close();
});

const unique = (prefix: string) => `${prefix}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@acme.example`;
const post = (path: string, body?: unknown, headers: Record<string, string> = {}) => request(f.api.url, 'POST', path, { body, headers });

async function verifiedUser(email = unique('local')) {
  const registered = await registerUser(f.api.url, { email });
  await f.api.query(`update users set email_verified_at = now() where id = '${registered.user.id}'`);
  return registered;
}

async function links(userId: string) {
  return f.api.query<{ provider: string; subject: string }>(`select provider, subject from oauth_accounts where user_id = '${userId}' order by linked_at`);
}

describe('which account an identity signs in to', () => {
  it('1. a known identity signs in to its account', async () => {
    const login = f.account({ email: unique('known'), email_verified: true });
    const first = f.browser();
    const created = await expectSignedIn(first, await signInVia(first, { login }));
    const again = f.browser();
    expect((await expectSignedIn(again, await signInVia(again, { login }))).id).toBe(created.id);
    const sessions = await f.api.query<{ amr: string[] }>(`select amr from sessions where user_id = '${created.id}'`);
    expect(sessions.map((row) => row.amr)).toEqual([['fed'], ['fed']]);
  });

  it('2. a new identity whose provider-verified email matches a user links to that user and signs in (audited)', async () => {
    const local = await verifiedUser();
    const login = f.account({ email: local.email.toUpperCase(), email_verified: true });
    const browser = f.browser();
    const user = await expectSignedIn(browser, await signInVia(browser, { login }));
    expect(user.id).toBe(local.user.id);
    expect(await links(local.user.id)).toEqual([{ provider: 'oidc', subject: login }]);
    const [event] = await f.api.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where type = 'oauth.linked' and user_id = '${local.user.id}'`,
    );
    expect(event!.details).toEqual({ provider: 'oidc', via: 'verified_email' });
  });

  it('3. an email the provider did not verify never links to the matching user', async () => {
    const local = await verifiedUser();
    const login = f.account({ email: local.email, email_verified: false });
    const page = await signInVia(f.browser(), { login });
    expectFailure(page, 'oauth_email_unverified_conflict');
    expect(await links(local.user.id)).toEqual([]);
    const [count] = await f.api.query<{ n: number }>(`select count(*)::int as n from oauth_accounts where subject = '${login}'`);
    expect(count!.n).toBe(0);
  });

  it('3b. nor does a verified email match a local account whose own address was never verified (pre-account takeover)', async () => {
    const squatter = await registerUser(f.api.url, { email: unique('squatted') });
    const login = f.account({ email: squatter.email, email_verified: true });
    expectFailure(await signInVia(f.browser(), { login }), 'oauth_email_unverified_conflict');
    expect(await links(squatter.user.id)).toEqual([]);
  });

  it('4. otherwise a new user is created, emailVerified as the provider says', async () => {
    const verifiedLogin = f.account({ email: unique('fresh'), email_verified: true });
    const a = f.browser();
    expect((await expectSignedIn(a, await signInVia(a, { login: verifiedLogin }))).emailVerified).toBe(true);
    const unverifiedLogin = f.account({ email: unique('fresh'), email_verified: false, name: 'Unverified Person' });
    const b = f.browser();
    const user = await expectSignedIn(b, await signInVia(b, { login: unverifiedLogin }));
    expect(user.emailVerified).toBe(false);
    const [row] = await f.api.query<{ email_verified_at: string | null; password_hash: string | null }>(
      `select email_verified_at, password_hash from users where id = '${user.id}'`,
    );
    expect(row).toEqual({ email_verified_at: null, password_hash: null });
  });

  it('an identity without any email is refused with its own message', async () => {
    const login = f.account({ name: 'No Email' });
    expectFailure(await signInVia(f.browser(), { login }), 'oauth_email_missing');
  });
});

describe('MFA after the provider', () => {
  it('a user with TOTP gets the MFA step: no session until the code, and the mfaToken never in a URL', async () => {
    const local = await verifiedUser();
    const setup = await post('/api/auth/mfa/totp/setup', undefined, bearer(local.accessToken));
    const enable = await post('/api/auth/mfa/totp/enable', { code: await previousStepCode(setup.body.secret) }, bearer(local.accessToken));
    expect(enable.status).toBe(200);

    const login = f.account({ email: local.email, email_verified: true });
    const browser = f.browser();
    const page = await signInVia(browser, { login, redirect: '/projects' });
    expect(page.status).toBe(302);
    expect(page.location).toBe(`${WEB_URL}/login?mfa=oauth`);
    expect(page.setCookies.some((c) => c.startsWith('refresh_token=') || c.startsWith('portcullis_session='))).toBe(false);
    const cookie = page.setCookies.find((c) => c.startsWith('portcullis_oauth_mfa='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/auth\/oauth\/mfa(;|$)/);
    expect(cookie).toMatch(/Max-Age=300/);

    // Another site cannot make the browser redeem it.
    const crossSite = await browser.request('POST', `${WEB_URL}/api/auth/oauth/mfa`, { headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);

    const handoff = await browser.request('POST', `${WEB_URL}/api/auth/oauth/mfa`, { headers: { origin: WEB_URL } });
    expect(handoff.status).toBe(200);
    const body = JSON.parse(handoff.text);
    expect(body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), methods: ['totp', 'recovery_code'], redirect: '/projects' });
    // Once only.
    const again = await browser.request('POST', `${WEB_URL}/api/auth/oauth/mfa`, { headers: { origin: WEB_URL } });
    expect(again.status).toBe(401);

    const done = await post('/api/auth/login/mfa', { mfaToken: body.mfaToken, code: codeAt(setup.body.secret, Date.now()) });
    expect(done.status).toBe(200);
    expect(done.body.user.id).toBe(local.user.id);
    // The session remembers both factors: the provider, then the code (ADMIN_REQUIRE_MFA reads this).
    const [session] = await f.api.query<{ amr: string[] }>(`select amr from sessions where user_id = '${local.user.id}' order by created_at desc limit 1`);
    expect(session!.amr).toEqual(['fed', 'otp', 'mfa']);
  });
});

describe('linked providers in settings', () => {
  /** Starts a link in `browser` (its session cookie, the proof) and goes through the provider to the callback's answer. */
  async function linkFlow(browser: Browser, accessToken: string, provider: string, login: string, proof: Record<string, string> = {}) {
    const start = await browser.request('POST', `${WEB_URL}/api/auth/oauth/${provider}/link`, { headers: bearer(accessToken), json: proof });
    expect(start.status).toBe(200);
    const { url } = JSON.parse(start.text);
    const callback = await browser.throughProvider(url, { login });
    return browser.get(callback);
  }

  it('lists, links another provider, and unlinks, but never the last way to sign in', async () => {
    // An OAuth-only user: no password.
    const login = f.account({ email: unique('only'), email_verified: true });
    const browser = f.browser();
    await expectSignedIn(browser, await signInVia(browser, { login }));
    const refreshed = JSON.parse((await browser.request('POST', `${WEB_URL}/api/auth/refresh`, { headers: { origin: WEB_URL } })).text);
    const auth = bearer(refreshed.accessToken);

    const listed = await request(f.api.url, 'GET', '/api/auth/oauth/accounts', { headers: auth });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      hasPassword: false,
      accounts: [{ id: expect.any(String), provider: 'oidc', name: 'Acme SSO', email: expect.any(String), linkedAt: expect.any(String), enabled: true }],
    });
    const oidcId = listed.body.accounts[0].id;

    const refused = await request(f.api.url, 'DELETE', `/api/auth/oauth/accounts/${oidcId}`, { headers: auth });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONFLICT');

    // Link Google (another identity at the provider) from settings.
    const googleLogin = f.account({ email: unique('other'), email_verified: false });
    // Signed in moments ago and without a password: the fresh sign-in is the re-authentication.
    const linked = await linkFlow(browser, refreshed.accessToken, 'google', googleLogin);
    expect(linked.status).toBe(302);
    expect(linked.location).toBe(`${WEB_URL}/settings/security?linked=google`);
    const after = await request(f.api.url, 'GET', '/api/auth/oauth/accounts', { headers: auth });
    expect(after.body.accounts.map((a: { provider: string }) => a.provider)).toEqual(['oidc', 'google']);
    const [event] = await f.api.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where type = 'oauth.linked' and user_id = '${refreshed.user.id}' and details->>'via' = 'settings'`,
    );
    expect(event!.details).toEqual({ provider: 'google', via: 'settings' });

    // Now the first one can go; the last one cannot.
    expect((await request(f.api.url, 'DELETE', `/api/auth/oauth/accounts/${oidcId}`, { headers: auth })).status).toBe(204);
    const googleId = after.body.accounts[1].id;
    expect((await request(f.api.url, 'DELETE', `/api/auth/oauth/accounts/${googleId}`, { headers: auth })).status).toBe(409);
    const [unlinked] = await f.api.query<{ n: number }>(
      `select count(*)::int as n from audit_events where type = 'oauth.unlinked' and user_id = '${refreshed.user.id}'`,
    );
    expect(unlinked!.n).toBe(1);
  });

  it('two concurrent unlinks cannot remove both identities of a user without a password', async () => {
    const login = f.account({ email: unique('race'), email_verified: true });
    const browser = f.browser();
    await expectSignedIn(browser, await signInVia(browser, { login }));
    const { accessToken } = JSON.parse((await browser.request('POST', `${WEB_URL}/api/auth/refresh`, { headers: { origin: WEB_URL } })).text);
    await linkFlow(browser, accessToken, 'google', f.account({ email: unique('race2'), email_verified: true }));
    const listed = await request(f.api.url, 'GET', '/api/auth/oauth/accounts', { headers: bearer(accessToken) });
    expect(listed.body.accounts).toHaveLength(2);
    const statuses = await Promise.all(
      listed.body.accounts.map((a: { id: string }) =>
        request(f.api.url, 'DELETE', `/api/auth/oauth/accounts/${a.id}`, { headers: bearer(accessToken) }).then((r) => r.status),
      ),
    );
    expect(statuses.sort()).toEqual([204, 409]);
    const after = await request(f.api.url, 'GET', '/api/auth/oauth/accounts', { headers: bearer(accessToken) });
    expect(after.body.accounts).toHaveLength(1);
  });

  it('a user with a password may unlink their only identity', async () => {
    const local = await browserUser(f);
    const login = f.account({ email: unique('x'), email_verified: true });
    expect((await linkFlow(local.browser, local.accessToken, 'oidc', login, { password: local.password })).location).toBe(
      `${WEB_URL}/settings/security?linked=oidc`,
    );
    const listed = await request(f.api.url, 'GET', '/api/auth/oauth/accounts', { headers: bearer(local.accessToken) });
    expect(listed.body.hasPassword).toBe(true);
    expect((await request(f.api.url, 'DELETE', `/api/auth/oauth/accounts/${listed.body.accounts[0].id}`, { headers: bearer(local.accessToken) })).status).toBe(
      204,
    );
  });

  it("refuses to link an identity that belongs to someone else, or to unlink another user's identity", async () => {
    const owner = await browserUser(f);
    const login = f.account({ email: unique('taken'), email_verified: true });
    await linkFlow(owner.browser, owner.accessToken, 'oidc', login, { password: owner.password });
    const other = await browserUser(f);
    const page = await linkFlow(other.browser, other.accessToken, 'oidc', login, { password: other.password });
    expectFailure(page, 'oauth_identity_in_use', '/settings/security');
    expect(await links(other.user.id)).toEqual([]);

    const ownerList = await request(f.api.url, 'GET', '/api/auth/oauth/accounts', { headers: bearer(owner.accessToken) });
    const res = await request(f.api.url, 'DELETE', `/api/auth/oauth/accounts/${ownerList.body.accounts[0].id}`, { headers: bearer(other.accessToken) });
    expect(res.status).toBe(404);
    expect(await links(owner.user.id)).toHaveLength(1);
  });

  it('a link flow whose session ended meanwhile links nothing', async () => {
    const { browser, accessToken, password, user } = await browserUser(f);
    const local = { user };
    const start = await browser.request('POST', `${WEB_URL}/api/auth/oauth/oidc/link`, { headers: bearer(accessToken), json: { password } });
    const callback = await browser.throughProvider(JSON.parse(start.text).url, { login: f.account({ email: unique('late'), email_verified: true }) });
    // Signed out elsewhere (the session is revoked; this browser still holds its session cookie).
    await f.api.query(`update sessions set revoked_at = now() where user_id = '${user.id}'`);
    expectFailure(await browser.get(callback), 'oauth_link_session_expired', '/settings/security');
    expect(await links(local.user.id)).toEqual([]);
  });

  it('needs a bearer token to start linking or to list', async () => {
    expect((await request(f.api.url, 'POST', '/api/auth/oauth/oidc/link')).status).toBe(401);
    expect((await request(f.api.url, 'GET', '/api/auth/oauth/accounts')).status).toBe(401);
    expect((await request(f.api.url, 'DELETE', '/api/auth/oauth/accounts/00000000-0000-0000-0000-000000000000')).status).toBe(401);
  });

  it("a flow's state is bound to its provider", async () => {
    const local = await browserUser(f);
    const browser = local.browser;
    const start = await browser.request('POST', `${WEB_URL}/api/auth/oauth/oidc/link`, {
      headers: bearer(local.accessToken),
      json: { password: local.password },
    });
    const callback = new URL(await browser.throughProvider(JSON.parse(start.text).url, { login: f.account({ email: unique('y'), email_verified: true }) }));
    callback.pathname = '/api/auth/oauth/google/callback';
    expectFailure(await browser.get(callback.toString()), 'oauth_state_invalid');
    expect((await lastFailure(f.api)).reason).toBe('wrong_provider');
    expect(await links(local.user.id)).toEqual([]);
  });
});
