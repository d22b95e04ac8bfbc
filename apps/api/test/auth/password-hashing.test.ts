import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCommonPassword } from '../../src/services/passwords.js';
import { bearer, registerUser, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

/** Breached and guessable passwords are refused on register, change and reset. */

const LIST = new URL('../../data/common-passwords.txt', import.meta.url);

describe('the shipped list of common breached passwords', () => {
  it('has at least 10,000 entries and is matched case-insensitively', () => {
    const entries = readFileSync(LIST, 'utf8').split('\n').filter(Boolean);
    expect(entries.length).toBeGreaterThanOrEqual(10_000);
    expect(isCommonPassword('password')).toBe(true);
    expect(isCommonPassword('PaSsWoRd')).toBe(true);
    expect(isCommonPassword('P@ssw0rd')).toBe(true);
    expect(isCommonPassword(entries[9_999]!.toUpperCase())).toBe(true);
    expect(isCommonPassword(STRONG_PASSWORD)).toBe(false);
  });
});

// Classes off, so that list entries reach the list check instead of failing the class rule.
const policyTest = apiTest({ PASSWORD_REQUIRE_CLASSES: 'false', WEB_URL: 'http://web.test' });

describe('password policy over HTTP', () => {
  policyTest.beforeAll(startApi);

  const register = (server: TestServer, email: string, password: string) =>
    request(server.url, 'POST', '/api/auth/register', { body: { email, password, displayName: 'P' } });

  policyTest('register refuses common passwords in any case', async ({ server }) => {
    for (const password of ['password1', 'QWERTYUIOP', 'Iloveyou1', 'P@ssw0rd']) {
      const res = await register(server, uniqueEmail(), password);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toEqual([{ field: 'password', message: expect.stringMatching(/common/i) }]);
    }
  });

  policyTest('register refuses a password that contains the email’s local part', async ({ server }) => {
    const res = await register(server, 'Marguerite.Dupont@example.com', 'xx-marguerite.dupont-2024');
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'password', message: expect.stringMatching(/email/i) }]);
    // A local part shorter than 3 characters is too short to judge.
    expect((await register(server, `ab@${Date.now()}.example.com`, 'ab-horse-battery-staple')).status).toBe(201);
    expect((await register(server, uniqueEmail(), 'a-long-unlisted-passphrase')).status).toBe(201);
  });

  policyTest('password change refuses common passwords and the local part', async ({ server }) => {
    const alice = await registerUser(server.url, { email: `alicelocal.${Date.now()}@example.com`, password: 'a-long-unlisted-passphrase' });
    const change = (newPassword: string) =>
      request(server.url, 'POST', '/api/auth/password/change', { body: { currentPassword: alice.password, newPassword }, headers: bearer(alice.accessToken) });
    const common = await change('sunshine1');
    expect(common.status).toBe(400);
    expect(common.body.error.details[0]).toEqual({ field: 'newPassword', message: expect.stringMatching(/common/i) });
    const local = await change(`${alice.email.split('@')[0]}-is-me`);
    expect(local.status).toBe(400);
    expect(local.body.error.details[0]).toEqual({ field: 'newPassword', message: expect.stringMatching(/email/i) });
    expect((await change('another-unlisted-passphrase')).status).toBe(204);
  });

  policyTest('password reset refuses them too, and the link still works afterwards', async ({ server }) => {
    const bob = await registerUser(server.url, { email: `bobbylocal.${Date.now()}@example.com`, password: 'a-long-unlisted-passphrase' });
    expect((await request(server.url, 'POST', '/api/auth/password/forgot', { body: { email: bob.email } })).status).toBe(202);
    let token: string | undefined;
    for (let i = 0; i < 50 && !token; i++) {
      const outbox = await request(server.url, 'GET', '/api/dev/outbox');
      const mail = outbox.body.messages.find((m: { to: string; text: string }) => m.to === bob.email && m.text.includes('/reset-password?token='));
      token = mail ? decodeURIComponent(/reset-password\?token=([^\s"&]+)/.exec(mail.text)![1]!) : undefined;
      if (!token) await new Promise((r) => setTimeout(r, 100));
    }
    expect(token).toBeDefined();
    const reset = (newPassword: string) => request(server.url, 'POST', '/api/auth/password/reset', { body: { token, newPassword } });
    expect((await reset('football')).status).toBe(400);
    const local = await reset(`my-${bob.email.split('@')[0]}-pass`);
    expect(local.status).toBe(400);
    expect(local.body.error.details[0]).toEqual({ field: 'newPassword', message: expect.stringMatching(/email/i) });
    expect((await reset('a-third-unlisted-passphrase')).status).toBe(204);
  });
});

const mailLimitTest = apiTest();

describe('mail-sending endpoints: 5 per account per hour', () => {
  mailLimitTest.beforeAll(startApi);

  mailLimitTest('password-forgot answers 429 on the sixth request for one address, known or not', async ({ server }) => {
    for (const email of [(await registerUser(server.url)).email, uniqueEmail('nobody')]) {
      for (let i = 0; i < 5; i++) expect((await request(server.url, 'POST', '/api/auth/password/forgot', { body: { email } })).status).toBe(202);
      const sixth = await request(server.url, 'POST', '/api/auth/password/forgot', { body: { email: email.toUpperCase() } });
      expect(sixth.status).toBe(429);
      expect(sixth.body.error.code).toBe('RATE_LIMITED');
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  mailLimitTest('verify-resend answers 429 on the sixth request for one account', async ({ server }) => {
    const carol = await registerUser(server.url);
    for (let i = 0; i < 5; i++)
      expect((await request(server.url, 'POST', '/api/auth/email/verify/resend', { headers: bearer(carol.accessToken) })).status).toBe(202);
    const sixth = await request(server.url, 'POST', '/api/auth/email/verify/resend', { headers: bearer(carol.accessToken) });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
