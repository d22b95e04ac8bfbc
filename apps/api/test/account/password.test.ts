import { describe, expect } from 'vitest';
import { median } from '@portcullis/testing/core';
import { bearer, registerUser, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { linkToken } from '@portcullis/testing/smtp';
import { mailApiTest, startApi } from '@portcullis/testing/fixtures';
import { timePostsFromAnotherThread } from '@portcullis/testing/timing';

const test = mailApiTest({ WEB_URL: 'http://web.test' });

const NEW_PASSWORD = 'Brand-New-Secret-7';

describe('password forgot, reset and change over real SMTP', () => {
  test.beforeAll(startApi);

  const login = (server: TestServer, email: string, password: string) => request(server.url, 'POST', '/api/auth/login', { body: { email, password } });
  const forgot = (server: TestServer, email: string) => request(server.url, 'POST', '/api/auth/password/forgot', { body: { email } });

  test('forgot → mail → reset: every old session dead, old password refused, new one works, link used once', async ({ server, mailbox }) => {
    const alice = await registerUser(server.url);
    const second = await login(server, alice.email, STRONG_PASSWORD);
    expect(second.status).toBe(200);

    expect((await forgot(server, alice.email.toUpperCase())).status).toBe(202);
    const mail = await mailbox.waitFor(alice.email, /reset your password/i);
    expect(mail.text).toContain('http://web.test/reset-password?token=');
    const token = linkToken(mail.text!, '/reset-password');

    const reset = await request(server.url, 'POST', '/api/auth/password/reset', { body: { token, newPassword: NEW_PASSWORD } });
    expect(reset.status).toBe(204);

    for (const accessToken of [alice.accessToken, second.body.accessToken]) {
      const me = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(accessToken) });
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('INVALID_TOKEN');
    }
    const refreshed = await request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${alice.refreshToken}` } });
    expect(refreshed.status).toBe(401);

    expect((await login(server, alice.email, STRONG_PASSWORD)).status).toBe(401);
    expect((await login(server, alice.email, NEW_PASSWORD)).status).toBe(200);

    const reused = await request(server.url, 'POST', '/api/auth/password/reset', { body: { token, newPassword: 'Another-Secret-8' } });
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe('INVALID_TOKEN');
    expect((await login(server, alice.email, NEW_PASSWORD)).status).toBe(200);

    await mailbox.waitFor(alice.email, /password was changed/i);
    const types = await server.query<{ type: string }>(
      `select type from audit_events where user_id = '${alice.user.id}' and type like 'password.%' order by created_at`,
    );
    expect(types.map((t) => t.type)).toEqual(['password.reset_requested', 'password.reset']);
  });

  test('refuses expired and unknown reset tokens, and weak new passwords', async ({ server, mailbox }) => {
    const bob = await registerUser(server.url);
    await forgot(server, bob.email);
    const token = linkToken((await mailbox.waitFor(bob.email, /reset/i)).text!, '/reset-password');

    const weak = await request(server.url, 'POST', '/api/auth/password/reset', { body: { token, newPassword: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('VALIDATION_FAILED');

    await server.query(`update one_time_tokens set expires_at = now() - interval '1 second' where user_id = '${bob.user.id}' and purpose = 'password_reset'`);
    const expired = await request(server.url, 'POST', '/api/auth/password/reset', { body: { token, newPassword: NEW_PASSWORD } });
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('INVALID_TOKEN');
    const unknown = await request(server.url, 'POST', '/api/auth/password/reset', { body: { token: 'A'.repeat(43), newPassword: NEW_PASSWORD } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('INVALID_TOKEN');
    // A verification token is not a reset token.
    const verifyToken = linkToken((await mailbox.waitFor(bob.email, /verify/i)).text!, '/verify-email');
    const swapped = await request(server.url, 'POST', '/api/auth/password/reset', { body: { token: verifyToken, newPassword: NEW_PASSWORD } });
    expect(swapped.status).toBe(400);
    expect((await login(server, bob.email, STRONG_PASSWORD)).status).toBe(200);
  });

  test('forgot answers alike for unknown and known emails, and mails only the known one', { timeout: 90_000 }, async ({ server, mailbox }) => {
    const carol = await registerUser(server.url);
    const unknownEmail = uniqueEmail('nobody');
    const known = await forgot(server, carol.email);
    const unknown = await forgot(server, unknownEmail);
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    const shape = (h: Headers) => [...h.keys()].filter((k) => !['date', 'x-request-id', 'etag', 'content-length'].includes(k)).sort();
    expect(shape(known.headers)).toEqual(shape(unknown.headers));

    // About the same time: the work happens after the answer. Interleaved samples, timed from
    // another thread. The leak to look for has a direction (a known address costing more), so a
    // round passes unless known addresses are 20% slower; a round skewed by a burst of load
    // elsewhere is measured again, while a real leak fails every round. One known account per
    // sample: the per-account limit (5 an hour) must not turn samples into 429s.
    const SAMPLES = 15;
    const rounds: string[] = [];
    let best = Infinity;
    for (let round = 0; round < 5 && best >= 0.2; round++) {
      const knownAccounts = await Promise.all(Array.from({ length: SAMPLES }, () => registerUser(server.url)));
      await new Promise((r) => setTimeout(r, 300)); // let the verification mails of the sign-ups go out
      const bodies = knownAccounts.flatMap((account) => [{ email: account.email }, { email: uniqueEmail('nobody') }]);
      const samples = await timePostsFromAnotherThread(`${server.url}/api/auth/password/forgot`, bodies, 150);
      expect(samples.map((s) => s.status)).toEqual(bodies.map(() => 202));
      const [known, unknown] = [median(samples.filter((_, i) => i % 2 === 0).map((s) => s.ms)), median(samples.filter((_, i) => i % 2 === 1).map((s) => s.ms))];
      best = Math.min(best, (known - unknown) / Math.max(known, unknown));
      rounds.push(`known ${known.toFixed(1)} ms vs unknown ${unknown.toFixed(1)} ms`);
    }
    expect(best, rounds.join('; ')).toBeLessThan(0.2);

    await mailbox.waitFor(carol.email, /reset/i);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailbox.messages.some((m) => JSON.stringify(m.to).includes(unknownEmail))).toBe(false);
  });

  test('change: needs the current password, keeps this session, ends the others, mails a notice', async ({ server, mailbox }) => {
    const dave = await registerUser(server.url);
    const other = await login(server, dave.email, STRONG_PASSWORD);
    const change = (body: unknown, token = dave.accessToken) => request(server.url, 'POST', '/api/auth/password/change', { body, headers: bearer(token) });

    expect(
      (await request(server.url, 'POST', '/api/auth/password/change', { body: { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD } })).status,
    ).toBe(401);
    const wrong = await change({ currentPassword: 'Not-The-Password-1', newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const weak = await change({ currentPassword: STRONG_PASSWORD, newPassword: 'weakpassword' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('VALIDATION_FAILED');

    expect((await change({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(dave.accessToken) })).status).toBe(200);
    const otherMe = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(other.body.accessToken) });
    expect(otherMe.status).toBe(401);
    expect(otherMe.body.error.code).toBe('INVALID_TOKEN');
    expect((await request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${dave.refreshToken}` } })).status).toBe(200);

    expect((await login(server, dave.email, STRONG_PASSWORD)).status).toBe(401);
    expect((await login(server, dave.email, NEW_PASSWORD)).status).toBe(200);
    const notice = await mailbox.waitFor(dave.email, /password was changed/i);
    expect(notice.text).toContain('http://web.test/settings/security');
    const audit = await server.query(`select 1 from audit_events where type = 'password.changed' and user_id = '${dave.user.id}'`);
    expect(audit).toHaveLength(1);
  });

  test('a change retires outstanding reset links', async ({ server, mailbox }) => {
    const erin = await registerUser(server.url);
    await forgot(server, erin.email);
    const token = linkToken((await mailbox.waitFor(erin.email, /reset/i)).text!, '/reset-password');
    await request(server.url, 'POST', '/api/auth/password/change', {
      body: { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD },
      headers: bearer(erin.accessToken),
    });
    const reset = await request(server.url, 'POST', '/api/auth/password/reset', { body: { token, newPassword: 'Attacker-Choice-9' } });
    expect(reset.status).toBe(400);
    expect((await login(server, erin.email, NEW_PASSWORD)).status).toBe(200);
  });
});
