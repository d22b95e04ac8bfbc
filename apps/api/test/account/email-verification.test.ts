import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { linkToken, startMailbox, type TestMailbox } from '@portcullis/testing/smtp';

describe('email verification over real SMTP', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startServer({ SMTP_URL: mailbox.url, WEB_URL: 'http://web.test', MAIL_FROM: 'Portcullis <auth@portcullis.test>' });
  });
  afterAll(async () => {
    await server.close();
    await mailbox.close();
  });

  it('register → the verification mail arrives → its link verifies, once', async () => {
    const alice = await registerUser(server.url, { displayName: 'Alice' });
    expect(alice.user.emailVerified).toBe(false);

    const mail = await mailbox.waitFor(alice.email, /verify your email/i);
    expect(mail.from?.text).toContain('auth@portcullis.test');
    expect(mail.text).toContain('http://web.test/verify-email?token=');
    expect(mail.html).toContain('http://web.test/verify-email?token=');
    const token = linkToken(mail.text!, '/verify-email');

    // Stored hashed: the token itself is nowhere in the database's token table.
    const stored = await server.query<{ token_hash: string }>(`select token_hash from one_time_tokens where purpose = 'email_verification'`);
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    const verified = await request(server.url, 'POST', '/api/auth/email/verify', { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body.user).toMatchObject({ id: alice.user.id, emailVerified: true });
    const me = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) });
    expect(me.body.user.emailVerified).toBe(true);
    const audit = await server.query(`select 1 from audit_events where type = 'email.verified' and user_id = '${alice.user.id}'`);
    expect(audit).toHaveLength(1);

    const again = await request(server.url, 'POST', '/api/auth/email/verify', { body: { token } });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('INVALID_TOKEN');
  });

  it('refuses unknown, malformed and expired tokens', async () => {
    for (const token of ['x'.repeat(43), 'not a token', '']) {
      const res = await request(server.url, 'POST', '/api/auth/email/verify', { body: { token } });
      expect(res.status).toBe(400);
      expect(['INVALID_TOKEN', 'VALIDATION_FAILED']).toContain(res.body.error.code);
    }
    const bob = await registerUser(server.url);
    const token = linkToken((await mailbox.waitFor(bob.email, /verify/i)).text!, '/verify-email');
    await server.query(`update one_time_tokens set expires_at = now() - interval '1 second' where user_id = '${bob.user.id}'`);
    const res = await request(server.url, 'POST', '/api/auth/email/verify', { body: { token } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
    const me = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(bob.accessToken) });
    expect(me.body.user.emailVerified).toBe(false);
  });

  it('resend mails a fresh link (bearer only); nothing once verified', async () => {
    const carol = await registerUser(server.url);
    await mailbox.waitFor(carol.email, /verify/i);
    expect((await request(server.url, 'POST', '/api/auth/email/verify/resend')).status).toBe(401);
    const res = await request(server.url, 'POST', '/api/auth/email/verify/resend', { headers: bearer(carol.accessToken) });
    expect(res.status).toBe(202);
    await expect.poll(() => mailbox.messages.filter((m) => m.to && JSON.stringify(m.to).includes(carol.email)).length, { timeout: 5_000 }).toBe(2);
    const latest = mailbox.messages.filter((m) => JSON.stringify(m.to).includes(carol.email)).at(-1)!;
    const verified = await request(server.url, 'POST', '/api/auth/email/verify', { body: { token: linkToken(latest.text!, '/verify-email') } });
    expect(verified.status).toBe(200);
    // Verified: a resend answers 202 and sends nothing.
    expect((await request(server.url, 'POST', '/api/auth/email/verify/resend', { headers: bearer(carol.accessToken) })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailbox.messages.filter((m) => JSON.stringify(m.to).includes(carol.email))).toHaveLength(2);
  });

  it('escapes the display name in the HTML version', async () => {
    const dave = await registerUser(server.url, { displayName: '<img src=x onerror=alert(1)> & "Dave"' });
    const mail = await mailbox.waitFor(dave.email, /verify/i);
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Dave&quot;');
    expect(mail.text).toContain('Hello <img src=x onerror=alert(1)> & "Dave",');
  });
});

describe('REQUIRE_EMAIL_VERIFICATION', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ REQUIRE_EMAIL_VERIFICATION: 'true' });
  });
  afterAll(() => server.close());

  it('login answers 403 EMAIL_NOT_VERIFIED until the link is followed (through the dev outbox)', async () => {
    const erin = await registerUser(server.url);
    const refused = await request(server.url, 'POST', '/api/auth/login', { body: { email: erin.email, password: STRONG_PASSWORD } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('EMAIL_NOT_VERIFIED');
    // A wrong password still says nothing about verification.
    const wrong = await request(server.url, 'POST', '/api/auth/login', { body: { email: erin.email, password: 'Wrong-Password-1' } });
    expect(wrong.status).toBe(401);

    const outbox = await request(server.url, 'GET', '/api/dev/outbox');
    const message = outbox.body.messages.find((m: { to: string }) => m.to === erin.email);
    expect(message.subject).toMatch(/verify/i);
    expect(message.sentAt).toBeTypeOf('string');
    expect((await request(server.url, 'POST', '/api/auth/email/verify', { body: { token: linkToken(message.text, '/verify-email') } })).status).toBe(200);

    const ok = await request(server.url, 'POST', '/api/auth/login', { body: { email: erin.email, password: STRONG_PASSWORD } });
    expect(ok.status).toBe(200);
    expect(ok.body.user.emailVerified).toBe(true);
  });
});

describe('development outbox', () => {
  it('lists sent mail newest first outside production, and does not exist in production', { timeout: 120_000 }, async () => {
    const dev = await startServer();
    try {
      const first = await registerUser(dev.url);
      const second = await registerUser(dev.url);
      const outbox = await request(dev.url, 'GET', '/api/dev/outbox');
      expect(outbox.status).toBe(200);
      expect(outbox.body.messages.map((m: { to: string }) => m.to).slice(0, 2)).toEqual([second.email, first.email]);
      expect(Object.keys(outbox.body.messages[0]).sort()).toEqual(['html', 'sentAt', 'subject', 'text', 'to']);
    } finally {
      await dev.close();
    }
    const prod = await startServer({ NODE_ENV: 'production', COOKIE_SECURE: 'true' });
    try {
      await registerUser(prod.url, { email: uniqueEmail('prod') });
      const res = await request(prod.url, 'GET', '/api/dev/outbox');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    } finally {
      await prod.close();
    }
  });
});
