import { describe, expect } from 'vitest';
import { bearer, registerUser, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { linkToken, type TestMailbox } from '@portcullis/testing/smtp';
import { mailApiTest, startApi } from '@portcullis/testing/fixtures';

const test = mailApiTest({ WEB_URL: 'http://web.test', RATE_LIMIT_EMAIL_CHANGE: '3/1h' });

const CHANGE = '/api/auth/email/change';
const CONFIRM = '/api/auth/email/change/confirm';

/** A new address (not in the contract): asked for with the password, made by a link mailed to it. */
describe('changing the email address over real SMTP', () => {
  test.beforeAll(startApi);

  const post = (server: TestServer, path: string, body: unknown, accessToken?: string) =>
    request(server.url, 'POST', path, { body, headers: accessToken ? bearer(accessToken) : {} });
  const login = (server: TestServer, email: string, password = STRONG_PASSWORD) =>
    request(server.url, 'POST', '/api/auth/login', { body: { email, password } });
  const me = async (server: TestServer, accessToken: string) => (await request(server.url, 'GET', '/api/auth/me', { headers: bearer(accessToken) })).body.user;
  const mailsTo = (mailbox: TestMailbox, email: string) => mailbox.messages.filter((m) => JSON.stringify(m.to).toLowerCase().includes(email.toLowerCase()));
  /** Asks for `newEmail` and returns the token of the link mailed to it. */
  async function requestChange(
    { server, mailbox }: { server: TestServer; mailbox: TestMailbox },
    person: { accessToken: string },
    newEmail: string,
  ): Promise<string> {
    expect((await post(server, CHANGE, { newEmail, password: STRONG_PASSWORD }, person.accessToken)).status).toBe(202);
    return linkToken((await mailbox.waitFor(newEmail, /confirm your new email/i)).text!, '/confirm-email-change');
  }

  test('request → link to the new address, notice to the old → confirm: the new address signs in, the old does not', async ({ server, mailbox }) => {
    const alice = await registerUser(server.url, { displayName: 'Alice' });
    const newEmail = uniqueEmail('alice.new');
    const res = await post(server, CHANGE, { newEmail: `  ${newEmail.toUpperCase()}  `, password: STRONG_PASSWORD }, alice.accessToken);
    expect(res.status).toBe(202);

    const link = await mailbox.waitFor(newEmail, /confirm your new email/i);
    expect(link.text).toContain('http://web.test/confirm-email-change?token=');
    const token = linkToken(link.text!, '/confirm-email-change');
    const notice = await mailbox.waitFor(alice.email, /change of your email address was requested/i);
    expect(notice.text).toContain(`A***@${newEmail.split('@')[1]!.toUpperCase()}`);
    expect(notice.text).not.toContain(newEmail.toUpperCase());
    // Nothing changes before the link is followed; the token is stored hashed.
    expect((await me(server, alice.accessToken)).email).toBe(alice.email);
    const stored = await server.query<{ token_hash: string }>(`select token_hash from one_time_tokens where purpose = 'email_change'`);
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    const confirmed = await post(server, CONFIRM, { token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('cache-control')).toBe('no-store');
    expect(confirmed.body.user).toMatchObject({ id: alice.user.id, email: newEmail.toUpperCase(), emailVerified: true });
    // The session that asked is still good: access tokens carry no address.
    expect((await me(server, alice.accessToken)).email).toBe(newEmail.toUpperCase());
    expect((await login(server, newEmail)).status).toBe(200);
    expect((await login(server, alice.email)).status).toBe(401);
    await mailbox.waitFor(alice.email, /your email address was changed/i);

    // Single use.
    const again = await post(server, CONFIRM, { token });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('INVALID_TOKEN');

    // Audited without either address.
    const audit = await server.query<{ details: unknown }>(
      `select details from audit_events where type = 'user.email_changed' and user_id = '${alice.user.id}'`,
    );
    expect(audit).toHaveLength(1);
    const details = JSON.stringify(audit[0]!.details).toLowerCase();
    expect(details).not.toContain(alice.email.toLowerCase());
    expect(details).not.toContain(newEmail.toLowerCase());
  });

  test('an address with an account: the same 202, a note to that address and no link; nothing changes', async ({ server, mailbox }) => {
    const bob = await registerUser(server.url);
    const carol = await registerUser(server.url);
    const res = await post(server, CHANGE, { newEmail: carol.email.toUpperCase(), password: STRONG_PASSWORD }, bob.accessToken);
    expect(res.status).toBe(202);
    expect(res.body).toBeUndefined();
    await mailbox.waitFor(carol.email, /someone tried to use this address/i);
    await mailbox.waitFor(bob.email, /change of your email address was requested/i);
    expect(mailsTo(mailbox, carol.email).some((m) => /confirm-email-change/.test(m.text ?? ''))).toBe(false);
    expect(await server.query(`select 1 from one_time_tokens where purpose = 'email_change' and user_id = '${bob.user.id}' and used_at is null`)).toHaveLength(
      0,
    );
    expect((await me(server, bob.accessToken)).email).toBe(bob.email);
  });

  test('expired, unknown and malformed tokens are 400 INVALID_TOKEN', async ({ server, mailbox }) => {
    const dave = await registerUser(server.url);
    const token = await requestChange({ server, mailbox }, dave, uniqueEmail('dave.new'));
    await server.query(`update one_time_tokens set expires_at = now() - interval '1 second' where purpose = 'email_change' and user_id = '${dave.user.id}'`);
    for (const t of [token, 'x'.repeat(43), 'not a token']) {
      const res = await post(server, CONFIRM, { token: t });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_TOKEN');
    }
    expect((await me(server, dave.accessToken)).email).toBe(dave.email);
  });

  test('the address taken between request and confirm: 409 EMAIL_TAKEN, nothing changes, the link is not used up', async ({ server, mailbox }) => {
    const erin = await registerUser(server.url);
    const wanted = uniqueEmail('wanted');
    const token = await requestChange({ server, mailbox }, erin, wanted);
    await registerUser(server.url, { email: wanted.toUpperCase() });
    const res = await post(server, CONFIRM, { token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('EMAIL_TAKEN');
    expect((await me(server, erin.accessToken)).email).toBe(erin.email);
    expect(await server.query(`select 1 from one_time_tokens where purpose = 'email_change' and user_id = '${erin.user.id}' and used_at is null`)).toHaveLength(
      1,
    );
    expect(await server.query(`select 1 from audit_events where type = 'user.email_changed' and user_id = '${erin.user.id}'`)).toHaveLength(0);
  });

  test('a reset link mailed to the old address stops working after the change; a newer request retires older links', async ({ server, mailbox }) => {
    const fay = await registerUser(server.url);
    expect((await post(server, '/api/auth/password/forgot', { email: fay.email })).status).toBe(202);
    const reset = linkToken((await mailbox.waitFor(fay.email, /reset your password/i)).text!, '/reset-password');
    const first = await requestChange({ server, mailbox }, fay, uniqueEmail('fay.first'));
    const second = await requestChange({ server, mailbox }, fay, uniqueEmail('fay.second'));
    expect((await post(server, CONFIRM, { token: first })).body.error.code).toBe('INVALID_TOKEN');
    expect((await post(server, CONFIRM, { token: second })).status).toBe(200);
    const res = await post(server, '/api/auth/password/reset', { token: reset, newPassword: 'Brand-New-Secret-7' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
  });

  test('a wrong password is 401 and counts against the login limits', async ({ server }) => {
    const gus = await registerUser(server.url);
    for (let i = 0; i < 5; i++) {
      const res = await post(server, CHANGE, { newEmail: uniqueEmail(), password: 'Wrong-Horse-1' }, gus.accessToken);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    // The per-account-and-address budget (5 per 15 minutes) is spent: the login form is refused too.
    expect((await post(server, CHANGE, { newEmail: uniqueEmail(), password: STRONG_PASSWORD }, gus.accessToken)).status).toBe(429);
    expect((await login(server, gus.email)).status).toBe(429);
    const failed = await server.query(
      `select 1 from audit_events where type = 'login.failed' and user_id = '${gus.user.id}' and details->>'stage' = 'change_email'`,
    );
    expect(failed).toHaveLength(5);
    expect(await server.query(`select 1 from one_time_tokens where purpose = 'email_change' and user_id = '${gus.user.id}'`)).toHaveLength(0);
  });

  test('refuses without a bearer, with extra or missing fields, a bad or unchanged address; limited per account', async ({ server }) => {
    const hal = await registerUser(server.url);
    expect((await post(server, CHANGE, { newEmail: uniqueEmail(), password: STRONG_PASSWORD })).status).toBe(401);
    for (const body of [
      { newEmail: uniqueEmail(), password: STRONG_PASSWORD, emailVerified: true },
      { newEmail: 'not an address', password: STRONG_PASSWORD },
      { password: STRONG_PASSWORD },
      { newEmail: uniqueEmail() },
      { newEmail: hal.email.toUpperCase(), password: STRONG_PASSWORD },
    ]) {
      const res = await post(server, CHANGE, body, hal.accessToken);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const extra = await post(server, CONFIRM, { token: 'x'.repeat(43), userId: hal.user.id });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('VALIDATION_FAILED');

    // RATE_LIMIT_EMAIL_CHANGE is 3/1h here.
    for (let i = 0; i < 3; i++) expect((await post(server, CHANGE, { newEmail: uniqueEmail(), password: STRONG_PASSWORD }, hal.accessToken)).status).toBe(202);
    const limited = await post(server, CHANGE, { newEmail: uniqueEmail(), password: STRONG_PASSWORD }, hal.accessToken);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
  });

  test('an account without a password needs a sign-in of the last 10 minutes instead', async ({ server, mailbox }) => {
    const ivy = await registerUser(server.url);
    await server.query(`update users set password_hash = null where id = '${ivy.user.id}'`);
    const newEmail = uniqueEmail('ivy.new');
    expect((await post(server, CHANGE, { newEmail }, ivy.accessToken)).status).toBe(202);
    await mailbox.waitFor(newEmail, /confirm your new email/i);
    await server.query(`update sessions set created_at = now() - interval '11 minutes' where user_id = '${ivy.user.id}'`);
    const stale = await post(server, CHANGE, { newEmail }, ivy.accessToken);
    expect(stale.status).toBe(401);
    expect(stale.body.error.details[0].field).toBe('session');
  });
});
