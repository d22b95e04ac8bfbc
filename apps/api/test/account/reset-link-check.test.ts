// Extensions for the web's password forms: POST /api/auth/password/reset/check (the reset page
// learns whether its link still works when it opens, without using it up, and gets the account's
// address for password managers) and GET /api/auth/password/common (a live "not common" check).
import { createHash } from 'node:crypto';
import { describe, expect } from 'vitest';
import { registerUser, request } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { linkToken } from '@portcullis/testing/smtp';
import { mailApiTest, startApi } from '@portcullis/testing/fixtures';

const test = mailApiTest({ WEB_URL: 'http://web.test' });

const check = (server: TestServer, token: string) => request(server.url, 'POST', '/api/auth/password/reset/check', { body: { token } });

describe('reset link check (not in the contract)', () => {
  test.beforeAll(startApi);

  test('a live link answers its address and stays usable; used, unknown and malformed links are 400 INVALID_TOKEN', async ({ server, mailbox }) => {
    const person = await registerUser(server.url);
    expect((await request(server.url, 'POST', '/api/auth/password/forgot', { body: { email: person.email } })).status).toBe(202);
    const mail = await mailbox.waitFor(person.email, /reset your password/i);
    const token = linkToken(mail.text!, '/reset-password');

    for (let i = 0; i < 2; i++) {
      const live = await check(server, token);
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ email: person.email });
    }
    const reset = await request(server.url, 'POST', '/api/auth/password/reset', { body: { token, newPassword: 'Brand-New-Secret-7' } });
    expect(reset.status).toBe(204);

    const used = await check(server, token);
    expect(used.status).toBe(400);
    expect(used.body.error.code).toBe('INVALID_TOKEN');
    expect((await check(server, 'A'.repeat(43))).body.error.code).toBe('INVALID_TOKEN');
    expect((await check(server, '')).status).toBe(400);
  });

  test('an expired link is refused', async ({ server, mailbox }) => {
    const person = await registerUser(server.url);
    await request(server.url, 'POST', '/api/auth/password/forgot', { body: { email: person.email } });
    const token = linkToken((await mailbox.waitFor(person.email, /reset your password/i)).text!, '/reset-password');
    await server.query(`update one_time_tokens set expires_at = now() - interval '1 minute' where user_id = '${person.user.id}'`);
    expect((await check(server, token)).body.error.code).toBe('INVALID_TOKEN');
  });
});

describe('common passwords by hash prefix (not in the contract)', () => {
  test.beforeAll(startApi);

  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const ask = (server: TestServer, prefix: string) => request(server.url, 'GET', `/api/auth/password/common?prefix=${prefix}`);

  test('a common password is found by the rest of its hash, a strong one is not; the answer is cacheable', async ({ server }) => {
    const common = sha256('password1');
    const res = await ask(server, common.slice(0, 5));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(res.body.suffixes).toContain(common.slice(5));

    const strong = sha256('correct-horse-battery-staple-9!');
    const other = await ask(server, strong.slice(0, 5));
    expect(other.body.suffixes).not.toContain(strong.slice(5));
  });

  test('a prefix that is not 5 hex characters is 400 VALIDATION_FAILED', async ({ server }) => {
    for (const prefix of ['abc', 'abcdef', 'zzzzz', '']) expect((await ask(server, prefix)).status).toBe(400);
  });
});
