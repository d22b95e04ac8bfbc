import { describe, expect } from 'vitest';
import { median } from '@portcullis/testing/core';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { bearer, registerUser, request, uniqueEmail } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import type { TestServer } from '@portcullis/testing/server';
import { codeAt } from '@portcullis/testing/totp';
import { timePostsFromAnotherThread } from '@portcullis/testing/timing';

/**
 * Sign-in by an emailed code or link (EMAIL_SIGNIN, not in the contract): wrong, expired and reused
 * codes, the per-code cap and the login limits against guessing, and an answer that says nothing
 * about whether the address has an account.
 */

const REQUEST = '/api/auth/email-sign-in';
const REDEEM = '/api/auth/email-sign-in/redeem';
const test = apiTest({ EMAIL_SIGNIN: 'true', TRUST_PROXY: 'loopback', RATE_LIMIT_EMAIL_SIGNIN_PER_IP: '100000/1h' });
const signUpTest = apiTest({ EMAIL_SIGNIN: 'true', EMAIL_SIGNUP: 'true' });
const offTest = apiTest();

const post = (server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}) => request(server.url, 'POST', path, { body, headers });

/** Asks for a code and reads it (and the link's token) from the mail, which goes out after the 202. */
async function mailedCode(server: TestServer, email: string) {
  const before = (await storedMail(server, email)).length;
  expect((await post(server, REQUEST, { email })).status).toBe(202);
  await expect.poll(async () => (await storedMail(server, email)).length, { timeout: 20_000 }).toBeGreaterThan(before);
  const mail = (await storedMail(server, email)).at(-1)!;
  return { code: /is (\d{6})\./.exec(mail.text)![1]!, token: /signInToken=([\w-]+)/.exec(mail.text)![1]!, mail };
}

const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('sign-in by email (not in the contract)', () => {
  test.beforeAll(startApi);

  test('code: signs in (amr otp), verifies the address, works once; audited', async ({ server }) => {
    const ann = await registerUser(server.url);
    const { code, mail } = await mailedCode(server, ann.email);
    expect(mail.subject).toBe(`Your sign-in code: ${code}`);
    const res = await post(server, REDEEM, { email: ann.email.toUpperCase(), code });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user).toMatchObject({ id: ann.user.id, emailVerified: true });
    const reused = await post(server, REDEEM, { email: ann.email, code });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(await server.query(`select 1 from audit_events where user_id = '${ann.user.id}' and type = 'email_sign_in.requested'`)).toHaveLength(1);
    const [session] = await server.query<{ amr: string[] }>(`select amr from sessions where user_id = '${ann.user.id}' order by created_at desc limit 1`);
    expect(session!.amr).toEqual(['otp']);
  });

  test('link: signs in once; a new request retires the older code', async ({ server }) => {
    const bo = await registerUser(server.url);
    const first = await mailedCode(server, bo.email);
    const second = await mailedCode(server, bo.email);
    expect((await post(server, REDEEM, { email: bo.email, code: first.code })).status).toBe(401);
    expect((await post(server, REDEEM, { token: second.token })).status).toBe(200);
    expect((await post(server, REDEEM, { token: second.token })).status).toBe(401);
    expect((await post(server, REDEEM, { email: bo.email, code: second.code })).status).toBe(401);
  });

  test('wrong and expired codes are refused', async ({ server }) => {
    const cy = await registerUser(server.url);
    const { code } = await mailedCode(server, cy.email);
    const wrong = await post(server, REDEEM, { email: cy.email, code: otherCode(code) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.details).toEqual([{ field: 'code', message: expect.any(String) }]);
    await server.query(`update email_sign_in_codes set expires_at = now() - interval '1 second' where email_normalized = '${cy.email.toLowerCase()}'`);
    expect((await post(server, REDEEM, { email: cy.email, code })).status).toBe(401);
  });

  test('guessing: 5 tries per code, then even the right code is refused; the login limits answer 429', async ({ server }) => {
    const dee = await registerUser(server.url);
    const { code } = await mailedCode(server, dee.email);
    for (let i = 0; i < 5; i++) {
      // Each from another address, so the per-address login limit (5 per 15 minutes) does not answer first.
      const res = await post(server, REDEEM, { email: dee.email, code: otherCode(code) }, { 'x-forwarded-for': `198.51.100.${i + 1}` });
      expect(res.status).toBe(401);
    }
    expect((await post(server, REDEEM, { email: dee.email, code }, { 'x-forwarded-for': '198.51.100.99' })).status).toBe(401);

    const eli = await registerUser(server.url);
    const fresh = await mailedCode(server, eli.email);
    for (let i = 0; i < 5; i++) await post(server, REDEEM, { email: eli.email, code: otherCode(fresh.code) });
    const limited = await post(server, REDEEM, { email: eli.email, code: fresh.code });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
  });

  test('an account with MFA gets the second step; the passkey flag is absent without passkeys', async ({ server }) => {
    const fay = await registerUser(server.url);
    const setup = await post(server, '/api/auth/mfa/totp/setup', {}, bearer(fay.accessToken));
    const at = Date.now();
    expect((await post(server, '/api/auth/mfa/totp/enable', { code: codeAt(setup.body.secret, at) }, bearer(fay.accessToken))).status).toBe(200);
    const { code } = await mailedCode(server, fay.email);
    const res = await post(server, REDEEM, { email: fay.email, code });
    expect(res.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), methods: ['totp', 'recovery_code'] });
    const done = await post(server, '/api/auth/login/mfa', { mfaToken: res.body.mfaToken, code: codeAt(setup.body.secret, at + 30_000) });
    expect(done.status).toBe(200);
    const [session] = await server.query<{ amr: string[] }>(`select amr from sessions where user_id = '${fay.user.id}' order by created_at desc limit 1`);
    expect(session!.amr).toEqual(['otp', 'mfa']);
  });

  test('enumeration: the same 202 in about the same time, no mail, and the same 401 for an unknown address', async ({ server }) => {
    const nobody = uniqueEmail('nobody');
    expect((await post(server, REQUEST, { email: nobody })).status).toBe(202);
    const unknown = await post(server, REDEEM, { email: nobody, code: '123456' });
    const gus = await registerUser(server.url);
    await mailedCode(server, gus.email);
    const known = await post(server, REDEEM, { email: gus.email, code: '000000' });
    expect([unknown.status, unknown.body.error]).toEqual([known.status, { ...known.body.error }]);

    const rounds: string[] = [];
    let best = Infinity;
    // Known and unknown in the order K K U U …: each kind follows each kind equally often. The work
    // done after a known address's 202 (a transaction, a mail) can still run when the next request
    // arrives on a busy machine; with K U K U every unknown followed it, and the unknowns looked
    // slower in every round (both databases, load 10).
    for (let round = 0; round < 8 && best >= 0.25; round++) {
      const accounts = await Promise.all(Array.from({ length: 8 }, () => registerUser(server.url)));
      await new Promise((r) => setTimeout(r, 300));
      const bodies = accounts.flatMap((a, i) =>
        i % 2 === 0 ? [{ email: a.email }] : [{ email: a.email }, { email: uniqueEmail('nobody') }, { email: uniqueEmail('nobody') }],
      );
      const known = new Set(accounts.map((a) => a.email));
      const samples = await timePostsFromAnotherThread(`${server.url}${REQUEST}`, bodies, 150);
      expect(samples.map((s) => s.status)).toEqual(bodies.map(() => 202));
      const knownMs = median(samples.filter((_, i) => known.has(bodies[i]!.email)).map((s) => s.ms));
      const unknownMs = median(samples.filter((_, i) => !known.has(bodies[i]!.email)).map((s) => s.ms));
      best = Math.min(best, Math.abs(knownMs - unknownMs) / Math.max(knownMs, unknownMs));
      rounds.push(`known ${knownMs.toFixed(1)} ms vs unknown ${unknownMs.toFixed(1)} ms`);
    }
    expect(best, rounds.join('; ')).toBeLessThan(0.25);
    expect(await storedMail(server, nobody)).toEqual([]);
  });
});

describe('sign-up by email code (EMAIL_SIGNUP)', () => {
  signUpTest.beforeAll(startApi);

  signUpTest('a code to a new address makes a verified, passwordless account', async ({ server }) => {
    const email = uniqueEmail('newbie');
    const { code } = await mailedCode(server, email);
    const res = await post(server, REDEEM, { email, code });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email, emailVerified: true });
    const [row] = await server.query<{ password_hash: string | null }>(`select password_hash from users where id = '${res.body.user.id}'`);
    expect(row!.password_hash).toBeNull();
    expect((await request(server.url, 'GET', '/api/auth/sign-in-methods')).body).toEqual({ passkeys: true, emailCode: true, emailSignUp: true });
  });
});

describe('sign-in by email is off by default', () => {
  offTest.beforeAll(startApi);

  offTest('404, and the login page is told', async ({ server }) => {
    expect((await post(server, REQUEST, { email: 'a@example.com' })).status).toBe(404);
    expect((await post(server, REDEEM, { email: 'a@example.com', code: '123456' })).status).toBe(404);
    expect((await request(server.url, 'GET', '/api/auth/sign-in-methods')).body).toEqual({ passkeys: true, emailCode: false, emailSignUp: false });
  });
});
