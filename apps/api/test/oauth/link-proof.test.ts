import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, request } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import { codeAt, previousStepCode } from '@portcullis/testing/totp';
import type { Browser } from './helpers/browser.js';
import { browserUser, expectFailure, expectSignedIn, lastFailure, signInVia, startOAuthFixture, WEB_URL, type OAuthFixture } from './helpers/fixture.js';

/**
 * Issue 10, item 1: linking a provider takes more than a (possibly stolen) access token — the
 * holder's own browser (its signed session cookie, at the start and at the callback) and a
 * re-authentication — and every new link is audited and mailed to the holder.
 */

let f: OAuthFixture;
beforeAll(async () => {
  f = await startOAuthFixture();
});
afterAll(async () => {
  await f?.close();
});

const unique = (prefix: string) => `${prefix}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@acme.example`;

const startLink = (browser: Browser, accessToken: string, proof: Record<string, string> = {}, provider = 'oidc') =>
  browser.request('POST', `${WEB_URL}/api/auth/oauth/${provider}/link`, { headers: bearer(accessToken), json: proof });

const identities = (userId: string) =>
  f.api.query<{ provider: string; subject: string }>(`select provider, subject from oauth_accounts where user_id = '${userId}'`);
const mailsTo = (email: string) => storedMail(f.api, email);

async function enableMfa(user: { accessToken: string; password: string }): Promise<string> {
  const setup = await request(f.api.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(user.accessToken) });
  const enable = await request(f.api.url, 'POST', '/api/auth/mfa/totp/enable', {
    body: { code: await previousStepCode(setup.body.secret), password: user.password },
    headers: bearer(user.accessToken),
  });
  expect(enable.status).toBe(200);
  return setup.body.secret as string;
}

describe('a stolen access token cannot link a provider', () => {
  it('from a browser without the session cookie, even with the password', async () => {
    const victim = await browserUser(f);
    const attacker = f.browser();
    const res = await startLink(attacker, victim.accessToken, { password: victim.password });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error.code).toBe('FORBIDDEN');
    expect(res.setCookies.some((c) => c.startsWith('portcullis_oauth_'))).toBe(false);
    const [event] = await f.api.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where type = 'login.failed' and user_id = '${victim.user.id}' order by created_at desc limit 1`,
    );
    expect(event!.details).toEqual({ stage: 'link_provider', reason: 'no_session_cookie' });
  });

  it("from a browser holding another session's cookie (the attacker's own)", async () => {
    const victim = await browserUser(f);
    const attacker = await browserUser(f);
    expect((await startLink(attacker.browser, victim.accessToken, { password: victim.password })).status).toBe(403);
    expect(await identities(victim.user.id)).toEqual([]);
  });

  it('nor finish in a browser that no longer holds the session that started it', async () => {
    const holder = await browserUser(f);
    const start = await startLink(holder.browser, holder.accessToken, { password: holder.password });
    expect(start.status).toBe(200);
    const callback = await holder.browser.throughProvider(JSON.parse(start.text).url, { login: f.account({ email: unique('moved'), email_verified: true }) });
    holder.browser.deleteCookie(WEB_URL, 'portcullis_session');
    expectFailure(await holder.browser.get(callback), 'oauth_link_wrong_browser', '/settings/security');
    expect((await lastFailure(f.api)).reason).toBe('no session cookie of the starting session');
    expect(await identities(holder.user.id)).toEqual([]);
  });
});

describe('linking re-authenticates', () => {
  it('an account with a password sends it; without it or with a wrong one nothing starts', async () => {
    const holder = await browserUser(f);
    const missing = await startLink(holder.browser, holder.accessToken);
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text).error.details).toEqual([{ field: 'password', message: 'Enter your password to link a provider.' }]);
    const wrong = await startLink(holder.browser, holder.accessToken, { password: 'Not-The-Password-1' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).error.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.setCookies.some((c) => c.startsWith('portcullis_oauth_'))).toBe(false);
    expect((await startLink(holder.browser, holder.accessToken, { password: holder.password })).status).toBe(200);
  });

  it('an account without a password needs a sign-in of the last 10 minutes', async () => {
    const browser = f.browser();
    await expectSignedIn(browser, await signInVia(browser, { login: f.account({ email: unique('nopw'), email_verified: true }) }));
    const { accessToken, user } = JSON.parse((await browser.request('POST', `${WEB_URL}/api/auth/refresh`, { headers: { origin: WEB_URL } })).text);
    await f.api.query(`update sessions set created_at = now() - interval '11 minutes' where user_id = '${user.id}'`);
    const stale = await startLink(browser, accessToken, {}, 'google');
    expect(stale.status).toBe(401);
    expect(JSON.parse(stale.text).error.details[0].field).toBe('session');
    await f.api.query(`update sessions set created_at = now() where user_id = '${user.id}'`);
    expect((await startLink(browser, accessToken, {}, 'google')).status).toBe(200);
  });

  it('with MFA on, a code as well', async () => {
    const holder = await browserUser(f);
    const secret = await enableMfa(holder);
    const noCode = await startLink(holder.browser, holder.accessToken, { password: holder.password });
    expect(noCode.status).toBe(400);
    expect(JSON.parse(noCode.text).error.details).toEqual([{ field: 'code', message: 'Enter a code from your authenticator app, or a recovery code.' }]);
    const wrongCode = await startLink(holder.browser, holder.accessToken, { password: holder.password, code: codeAt(secret, Date.now() - 10 * 60_000) });
    expect(wrongCode.status).toBe(400);
    expect(JSON.parse(wrongCode.text).error.code).toBe('INVALID_MFA_CODE');
    expect((await startLink(holder.browser, holder.accessToken, { password: holder.password, code: codeAt(secret, Date.now()) })).status).toBe(200);
  });
});

describe('every new link is audited and mailed to the holder', () => {
  it('a link from settings', async () => {
    const holder = await browserUser(f);
    const start = await startLink(holder.browser, holder.accessToken, { password: holder.password });
    const login = f.account({ email: unique('mine'), email_verified: true });
    const page = await holder.browser.get(await holder.browser.throughProvider(JSON.parse(start.text).url, { login }));
    expect(page.location).toBe(`${WEB_URL}/settings/security?linked=oidc`);
    expect(await identities(holder.user.id)).toEqual([{ provider: 'oidc', subject: login }]);
    const [event] = await f.api.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where type = 'oauth.linked' and user_id = '${holder.user.id}'`,
    );
    expect(event!.details).toEqual({ provider: 'oidc', via: 'settings' });
    const notice = (await mailsTo(holder.email)).find((m) => m.subject === 'Acme SSO can now sign in to your account');
    expect(notice!.text).toContain(`${WEB_URL}/settings/security`);
    expect(notice!.text).toContain('unlink Acme SSO');
  });

  it('an automatic link at a sign-in with a verified address', async () => {
    const holder = await browserUser(f);
    const browser = f.browser();
    expect(
      (await expectSignedIn(browser, await signInVia(browser, { provider: 'google', login: f.account({ email: holder.email, email_verified: true }) }))).id,
    ).toBe(holder.user.id);
    const [event] = await f.api.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where type = 'oauth.linked' and user_id = '${holder.user.id}'`,
    );
    expect(event!.details).toEqual({ provider: 'google', via: 'verified_email' });
    const notice = (await mailsTo(holder.email)).find((m) => m.subject === 'Google can now sign in to your account');
    expect(notice!.text).toContain('shares your verified email address');
  });
});
