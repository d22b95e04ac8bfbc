import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import { linkToken } from '@portcullis/testing/smtp';
import { expectFailure, expectSignedIn, signInVia, startOAuthFixture, type OAuthFixture } from './helpers/fixture.js';

/** A person whose provider did not verify their address gets the same verification mail as a password sign-up. */

const unique = (prefix: string) => `${prefix}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@acme.example`;

async function verificationMails(f: OAuthFixture, email: string) {
  return (await storedMail(f.api, email)).filter((m) => m.text.includes('/verify-email?token='));
}

describe('an account created through a provider that did not verify the address', () => {
  let f: OAuthFixture;
  beforeAll(async () => {
    f = await startOAuthFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('is mailed a verification link, and the link verifies it', async () => {
    const email = unique('unverified');
    const browser = f.browser();
    const user = await expectSignedIn(browser, await signInVia(browser, { login: f.account({ email, email_verified: false }) }));
    expect(user.emailVerified).toBe(false);
    const [mail] = await verificationMails(f, email);
    const verified = await request(f.api.url, 'POST', '/api/auth/email/verify', { body: { token: linkToken(mail!.text, '/verify-email') } });
    expect(verified.status).toBe(200);
    expect(verified.body.user).toMatchObject({ id: user.id, emailVerified: true });
  });

  it('a provider-verified address gets no such mail', async () => {
    const email = unique('verified');
    const browser = f.browser();
    expect((await expectSignedIn(browser, await signInVia(browser, { login: f.account({ email, email_verified: true }) }))).emailVerified).toBe(true);
    expect(await verificationMails(f, email)).toEqual([]);
  });
});

describe('with REQUIRE_EMAIL_VERIFICATION', () => {
  let f: OAuthFixture;
  beforeAll(async () => {
    f = await startOAuthFixture({ REQUIRE_EMAIL_VERIFICATION: 'true', RATE_LIMIT_VERIFY_RESEND: '2/1h' });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('refuses the sign-in, mails a link each try within the resend limit; following the link unlinks the unproved identity', async () => {
    const email = unique('required');
    const login = f.account({ email, email_verified: false });
    expectFailure(await signInVia(f.browser(), { login }), 'oauth_email_not_verified');
    expect(await verificationMails(f, email)).toHaveLength(1);
    const [user] = await f.api.query<{ id: string }>(`select id from users where email = '${email}'`);
    const sessionCount = async () => (await f.api.query<{ n: number }>(`select count(*)::int as n from sessions where user_id = '${user!.id}'`))[0]!.n;
    expect(await sessionCount()).toBe(0);

    // A returning, still unverified person is mailed a fresh link; the resend limit (2 an hour here) caps it.
    for (let attempt = 0; attempt < 3; attempt += 1) expectFailure(await signInVia(f.browser(), { login }), 'oauth_email_not_verified');
    const mails = await verificationMails(f, email);
    expect(mails).toHaveLength(3);
    expect(await sessionCount()).toBe(0);

    const verified = await request(f.api.url, 'POST', '/api/auth/email/verify', { body: { token: linkToken(mails.at(-1)!.text, '/verify-email') } });
    expect(verified.status).toBe(200);
    // The provider never proved the address, so its identity may be anyone's: the mailbox holder
    // just proved it, and the identity is gone (told by mail). Signing in through it now meets the
    // verified account and is refused like any unproved address; the holder sets a password and links it.
    expect(await f.api.query(`select id from oauth_accounts where user_id = '${user!.id}'`)).toEqual([]);
    const [notice] = (await storedMail(f.api, email)).filter((m) => m.subject === 'Sign-in providers were unlinked from your account');
    expect(notice!.text).toContain('Acme SSO');
    expectFailure(await signInVia(f.browser(), { login }), 'oauth_email_unverified_conflict');
  });
});
