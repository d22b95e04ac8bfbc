import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, request } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import { linkToken } from '@portcullis/testing/smtp';
import { codeAt, previousStepCode } from '@portcullis/testing/totp';
import type { Browser } from './helpers/browser.js';
import { browserUser, expectFailure, expectSignedIn, signInVia, startOAuthFixture, WEB_URL, type OAuthFixture } from './helpers/fixture.js';

/**
 * Issue 10, item 5: pre-account hijack through a provider that does not verify the address.
 * Proving the address removes identities linked without the provider's proof; automatic linking by
 * address only for providers believed (OIDC_TRUST_EMAIL), and into an MFA account only after the
 * second factor.
 */

const unique = (prefix: string) => `${prefix}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@acme.example`;
const REMOVED_SUBJECT = 'Sign-in providers were unlinked from your account';

let f: OAuthFixture;
beforeAll(async () => {
  f = await startOAuthFixture();
});
afterAll(async () => {
  await f?.close();
});

const identities = (userId: string) =>
  f.api.query<{ provider: string; subject: string; email_verified: boolean }>(
    `select provider, subject, email_verified from oauth_accounts where user_id = '${userId}' order by linked_at`,
  );
const userIdOf = async (email: string) => (await f.api.query<{ id: string }>(`select id from users where email = '${email}'`))[0]!.id;

/** The newest mail to `email` with a link to `path`, waited for (forgot-password answers before it writes the mail). */
async function mailedToken(email: string, path: '/verify-email' | '/reset-password' | '/confirm-email-change'): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const mail = (await storedMail(f.api, email)).filter((m) => m.text.includes(`${path}?token=`)).at(-1);
    if (mail) return linkToken(mail.text, path);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${path} mail to ${email}`);
}

async function expectRemovalRecorded(userId: string, email: string, proof: string, sessionsRevoked = 0) {
  const events = await f.api.query<{ details: Record<string, unknown> }>(
    `select details from audit_events where type = 'oauth.unlinked' and user_id = '${userId}'`,
  );
  expect(events.map((e) => e.details)).toEqual([{ provider: 'oidc', reason: 'unverified_email', proof, sessionsRevoked }]);
  const [notice] = (await storedMail(f.api, email)).filter((m) => m.subject === REMOVED_SUBJECT);
  expect(notice!.text).toContain('Acme SSO');
}

describe('proving the address removes identities linked without a proof of it', () => {
  it('a password reset: the squatter who signed up through an unverifying provider is out', async () => {
    const victim = unique('victim');
    const attackerLogin = f.account({ email: victim, email_verified: false });
    const attacker = f.browser();
    await expectSignedIn(attacker, await signInVia(attacker, { login: attackerLogin }));
    const userId = await userIdOf(victim);

    expect((await request(f.api.url, 'POST', '/api/auth/password/forgot', { body: { email: victim } })).status).toBe(202);
    const reset = await request(f.api.url, 'POST', '/api/auth/password/reset', {
      body: { token: await mailedToken(victim, '/reset-password'), newPassword: 'Victim-Owns-This-1' },
    });
    expect(reset.status).toBe(204);

    expect(await identities(userId)).toEqual([]);
    await expectRemovalRecorded(userId, victim, 'password_reset');
    // The attacker's identity now meets a verified account it never proved the address of.
    expectFailure(await signInVia(f.browser(), { login: attackerLogin }), 'oauth_email_unverified_conflict');
  });

  it("an email verification link; the squatter's provider session ends with the identity", async () => {
    const victim = unique('verify');
    const attacker = f.browser();
    await expectSignedIn(attacker, await signInVia(attacker, { login: f.account({ email: victim, email_verified: false }) }));
    const userId = await userIdOf(victim);
    const refresh = () => attacker.request('POST', `${WEB_URL}/api/auth/refresh`, { headers: { origin: WEB_URL } });
    const before = await refresh();
    expect(before.status).toBe(200);
    const { accessToken } = JSON.parse(before.text) as { accessToken: string };

    const verified = await request(f.api.url, 'POST', '/api/auth/email/verify', { body: { token: await mailedToken(victim, '/verify-email') } });
    expect(verified.status).toBe(200);
    expect(await identities(userId)).toEqual([]);
    await expectRemovalRecorded(userId, victim, 'email_verified', 1);
    // Verification revokes no session by itself: without the removal the squatter would stay in.
    expect((await refresh()).status).toBe(401);
    expect((await request(f.api.url, 'GET', '/api/auth/me', { headers: bearer(accessToken) })).status).toBe(401);
  });

  it('a confirmed change of address; identities whose provider proved the address stay', async () => {
    const holder = await browserUser(f);
    const link = async (provider: string, login: string) => {
      // Google is the same test provider here: forget its session, so the new login is used.
      for (const name of holder.browser.cookieNames(f.provider.issuer)) holder.browser.deleteCookie(f.provider.issuer, name);
      const start = await holder.browser.request('POST', `${WEB_URL}/api/auth/oauth/${provider}/link`, {
        headers: bearer(holder.accessToken),
        json: { password: holder.password },
      });
      expect(start.status).toBe(200);
      expect((await holder.browser.get(await holder.browser.throughProvider(JSON.parse(start.text).url, { login }))).location).toBe(
        `${WEB_URL}/settings/security?linked=${provider}`,
      );
    };
    const unproved = f.account({ email: unique('unproved'), email_verified: false });
    const proved = f.account({ email: unique('proved'), email_verified: true });
    await link('oidc', unproved);
    await link('google', proved);

    const newEmail = unique('moved');
    expect(
      (await request(f.api.url, 'POST', '/api/auth/email/change', { body: { newEmail, password: holder.password }, headers: bearer(holder.accessToken) }))
        .status,
    ).toBe(202);
    const confirmed = await request(f.api.url, 'POST', '/api/auth/email/change/confirm', {
      body: { token: await mailedToken(newEmail, '/confirm-email-change') },
    });
    expect(confirmed.status).toBe(200);
    expect(await identities(holder.user.id)).toEqual([{ provider: 'google', subject: proved, email_verified: true }]);
    await expectRemovalRecorded(holder.user.id, newEmail, 'email_changed');
  });
});

describe('automatic linking by address only where the provider is believed', () => {
  let untrusted: OAuthFixture;
  beforeAll(async () => {
    untrusted = await startOAuthFixture({ OIDC_TRUST_EMAIL: 'false' });
  });
  afterAll(async () => {
    await untrusted?.close();
  });

  it("the generic OIDC provider's email_verified links nothing and verifies nothing without OIDC_TRUST_EMAIL; Google's does", async () => {
    const holder = await browserUser(untrusted);
    const claimed = untrusted.account({ email: holder.email, email_verified: true });
    expectFailure(await signInVia(untrusted.browser(), { login: claimed }), 'oauth_email_unverified_conflict');
    expect(await untrusted.api.query(`select id from oauth_accounts where user_id = '${holder.user.id}'`)).toEqual([]);

    // A new address through it: an account, but unverified (it gets the verification mail), and so is its identity.
    const fresh = unique('fresh');
    const browser = untrusted.browser();
    const created = await expectSignedIn(browser, await signInVia(browser, { login: untrusted.account({ email: fresh, email_verified: true }) }));
    expect(created.emailVerified).toBe(false);
    expect(await untrusted.api.query(`select email_verified from oauth_accounts where user_id = '${created.id}'`)).toEqual([{ email_verified: false }]);

    // Google is believed: the same kind of claim links.
    const google = untrusted.browser();
    expect(
      (await expectSignedIn(google, await signInVia(google, { provider: 'google', login: untrusted.account({ email: holder.email, email_verified: true }) })))
        .id,
    ).toBe(holder.user.id);
  });
});

describe('into an account with MFA, only after the second factor', () => {
  async function mfaHolder() {
    const holder = await browserUser(f);
    const setup = await request(f.api.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(holder.accessToken) });
    const enable = await request(f.api.url, 'POST', '/api/auth/mfa/totp/enable', {
      body: { code: await previousStepCode(setup.body.secret), password: holder.password },
      headers: bearer(holder.accessToken),
    });
    expect(enable.status).toBe(200);
    return { ...holder, secret: setup.body.secret as string };
  }

  /** Through the provider to the MFA step, and the hand-off: the mfaToken, as the login page gets it. */
  async function toMfaStep(browser: Browser, email: string): Promise<{ login: string; mfaToken: string }> {
    const login = f.account({ email, email_verified: true });
    const page = await signInVia(browser, { provider: 'google', login });
    expect(page.location).toBe(`${WEB_URL}/login?mfa=oauth`);
    const handoff = await browser.request('POST', `${WEB_URL}/api/auth/oauth/mfa`, { headers: { origin: WEB_URL } });
    return { login, mfaToken: JSON.parse(handoff.text).mfaToken };
  }

  const mfaStep = (browser: Browser, body: Record<string, string>) =>
    browser.request('POST', `${WEB_URL}/api/auth/login/mfa`, { headers: { origin: WEB_URL }, json: body });

  it('nothing is linked before the code; a wrong code links nothing; the right one links, audited and mailed', async () => {
    const holder = await mfaHolder();
    const browser = f.browser();
    const { login, mfaToken } = await toMfaStep(browser, holder.email);
    expect(await identities(holder.user.id)).toEqual([]);

    const wrong = await mfaStep(browser, { mfaToken, code: codeAt(holder.secret, Date.now() - 10 * 60_000) });
    expect(wrong.status).toBe(401);
    expect(await identities(holder.user.id)).toEqual([]);

    const right = await mfaStep(browser, { mfaToken, code: codeAt(holder.secret, Date.now()) });
    expect(right.status).toBe(200);
    expect(right.setCookies.some((c) => /^portcullis_oauth_link=;.*Max-Age=0/i.test(c))).toBe(true);
    expect(await identities(holder.user.id)).toEqual([{ provider: 'google', subject: login, email_verified: true }]);
    const [event] = await f.api.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where type = 'oauth.linked' and user_id = '${holder.user.id}'`,
    );
    expect(event!.details).toEqual({ provider: 'google', via: 'verified_email' });
    const [notice] = await f.api.query<{ n: number }>(
      `select count(*)::int as n from mail_messages where "to" = '${holder.email}' and subject = 'Google can now sign in to your account'`,
    );
    expect(notice!.n).toBe(1);
  });

  it('a pending link belongs to its own MFA challenge: another sign-in of the account does not complete it', async () => {
    const holder = await mfaHolder();
    const browser = f.browser();
    await toMfaStep(browser, holder.email);
    // The same browser finishes a password sign-in's MFA step instead.
    const password = await request(f.api.url, 'POST', '/api/auth/login', { body: { email: holder.email, password: holder.password } });
    expect((await mfaStep(browser, { mfaToken: password.body.mfaToken, code: codeAt(holder.secret, Date.now()) })).status).toBe(200);
    expect(await identities(holder.user.id)).toEqual([]);
  });
});
