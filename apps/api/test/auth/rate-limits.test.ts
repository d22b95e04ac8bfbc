import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ApiError } from '../../src/services/errors.js';
import { addressKey } from '../../src/services/rateLimits.js';
import { registerUser, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import { startServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

/**
 * The contract's default limits, each through real HTTP against a real server (counters in
 * memory, or in Redis when REDIS_URL is set). The harness relaxes per-address limits for other
 * test files; every server here states the numbers it tests.
 */

const CONTRACT = {
  RATE_LIMIT_LOGIN_PER_IP: '30/1m',
  RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '5/15m',
  RATE_LIMIT_LOGIN_PER_ACCOUNT: '100/1h',
  RATE_LIMIT_REGISTER_PER_IP: '10/1h',
  RATE_LIMIT_PASSWORD_FORGOT_PER_IP: '20/1h',
};

const login = (url: string, email: string, password: string, headers: Record<string, string> = {}) =>
  request(url, 'POST', '/api/auth/login', { body: { email, password }, headers });

function expectRateLimited(res: { status: number; headers: Headers; body: any }, maxSeconds: number) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('RATE_LIMITED');
  expect(typeof res.body.requestId).toBe('string');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
}

// Per-address request limits out of the way, so only the per-account ones are under test.
const perAccountTest = apiTest({ ...CONTRACT, RATE_LIMIT_LOGIN_PER_IP: '1000/1m' });

describe('login brute force: 5 failures per account per address per 15 minutes', () => {
  perAccountTest.beforeAll(startApi);

  perAccountTest('refuses the sixth attempt with 429 and Retry-After, even with the right password', async ({ server }) => {
    const alice = await registerUser(server.url);
    for (let i = 0; i < 5; i++) expect((await login(server.url, alice.email, 'Wrong-Password-1')).status).toBe(401);
    const locked = await login(server.url, alice.email, alice.password);
    expectRateLimited(locked, 15 * 60);
    expect(locked.body.accessToken).toBeUndefined();
    // Another account from the same address is not affected.
    const bob = await registerUser(server.url);
    expect((await login(server.url, bob.email, bob.password)).status).toBe(200);
  });

  perAccountTest('parallel guesses cannot exceed the limit: each attempt is counted before its password is checked', async ({ server }) => {
    const frank = await registerUser(server.url);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login(server.url, frank.email, `Parallel-guess-${i}`)));
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(15);
  });

  perAccountTest('counts the account whatever the case or spacing of its email', async ({ server }) => {
    const carol = await registerUser(server.url);
    for (let i = 0; i < 5; i++) {
      const variant = i % 2 ? `  ${carol.email.toUpperCase()} ` : carol.email;
      expect((await login(server.url, variant, 'Wrong-Password-1')).status).toBe(401);
    }
    expect((await login(server.url, carol.email, carol.password)).status).toBe(429);
  });

  perAccountTest('a successful login clears that account’s failures from that address', async ({ server }) => {
    const dave = await registerUser(server.url);
    for (let i = 0; i < 4; i++) expect((await login(server.url, dave.email, 'Wrong-Password-1')).status).toBe(401);
    expect((await login(server.url, dave.email, dave.password)).status).toBe(200);
    // Without the reset the second of these would already be refused (4 + 2 > 5).
    for (let i = 0; i < 5; i++) expect((await login(server.url, dave.email, 'Wrong-Password-1')).status).toBe(401);
    expect((await login(server.url, dave.email, dave.password)).status).toBe(429);
  });

  perAccountTest('wrong current passwords on password change and MFA disable count against the same limit', async ({ server }) => {
    const erin = await registerUser(server.url);
    const auth = { authorization: `Bearer ${erin.accessToken}` };
    for (let i = 0; i < 3; i++) {
      const res = await request(server.url, 'POST', '/api/auth/password/change', {
        body: { currentPassword: `guess-${i}`, newPassword: 'Another-Passw0rd!' },
        headers: auth,
      });
      expect(res.status).toBe(401);
    }
    for (let i = 0; i < 2; i++) {
      const res = await request(server.url, 'POST', '/api/auth/mfa/totp/disable', { body: { password: `guess-${i}`, code: '123456' }, headers: auth });
      expect(res.status).toBe(401);
    }
    const change = await request(server.url, 'POST', '/api/auth/password/change', {
      body: { currentPassword: erin.password, newPassword: 'Another-Passw0rd!' },
      headers: auth,
    });
    expectRateLimited(change, 15 * 60);
    expect((await login(server.url, erin.email, erin.password)).status).toBe(429);
  });

  perAccountTest('locks an unknown email exactly like a known one (no enumeration through the limit)', async ({ server }) => {
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < 5; i++) expect((await login(server.url, ghost, 'Wrong-Password-1')).status).toBe(401);
    expectRateLimited(await login(server.url, ghost, 'Wrong-Password-1'), 15 * 60);
  });
});

// A trusted proxy lets the test speak from many addresses.
const acrossAddressesTest = apiTest({ ...CONTRACT, RATE_LIMIT_LOGIN_PER_IP: '1000/1m', TRUST_PROXY: '127.0.0.1' });

describe('login brute force across addresses: 100 failures per account per hour', () => {
  acrossAddressesTest.beforeAll(startApi);

  acrossAddressesTest('locks the account for every address after 100 failures from 100 addresses', async ({ server }) => {
    const victim = await registerUser(server.url);
    const from = (i: number) => ({ 'x-forwarded-for': `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}` });
    for (let batch = 0; batch < 100; batch += 5) {
      const results = await Promise.all([0, 1, 2, 3, 4].map((j) => login(server.url, victim.email, 'Wrong-Password-1', from(batch + j))));
      for (const r of results) expect(r.status).toBe(401);
    }
    // A fresh address, the right password: still refused, the account is under attack.
    expectRateLimited(await login(server.url, victim.email, victim.password, { 'x-forwarded-for': '203.0.113.77' }), 60 * 60);
    // Other accounts are not.
    const other = await registerUser(server.url);
    expect((await login(server.url, other.email, other.password, { 'x-forwarded-for': '203.0.113.77' })).status).toBe(200);
  });
});

const perAddressTest = apiTest({ ...CONTRACT, TRUST_PROXY: '127.0.0.1' });

describe('per-address limits', () => {
  perAddressTest.beforeAll(startApi);

  perAddressTest('30 login requests per address per minute, counted before the body is read', async ({ server }) => {
    const ip = { 'x-forwarded-for': '192.0.2.30' };
    for (let i = 0; i < 30; i++) {
      // Invalid bodies cost nothing to check but still count: a flood of junk is a flood.
      const res = await request(server.url, 'POST', '/api/auth/login', { body: {}, headers: ip });
      expect(res.status).toBe(400);
    }
    expectRateLimited(await request(server.url, 'POST', '/api/auth/login', { body: {}, headers: ip }), 60);
    // Case and trailing-slash variants of the path reach the same handler, so the same limit.
    expect((await request(server.url, 'POST', '/api/auth/LOGIN/', { body: {}, headers: ip })).status).toBe(429);
    // Another address is untouched.
    expect((await request(server.url, 'POST', '/api/auth/login', { body: {}, headers: { 'x-forwarded-for': '192.0.2.31' } })).status).toBe(400);
    // The MFA step shares the budget: it is part of signing in.
    expect((await request(server.url, 'POST', '/api/auth/login/mfa', { body: {}, headers: ip })).status).toBe(429);
  });

  perAddressTest('10 registrations per address per hour', async ({ server }) => {
    const ip = { 'x-forwarded-for': '192.0.2.10' };
    for (let i = 0; i < 10; i++) await registerUser(server.url, {}, ip);
    const eleventh = await request(server.url, 'POST', '/api/auth/register', {
      body: { email: uniqueEmail(), password: STRONG_PASSWORD, displayName: 'Eleven' },
      headers: ip,
    });
    expectRateLimited(eleventh, 60 * 60);
    await registerUser(server.url, {}, { 'x-forwarded-for': '192.0.2.11' });
  });

  perAddressTest('20 password-forgot requests per address per hour, across accounts, counted before the body is read', async ({ server }) => {
    const ip = { 'x-forwarded-for': '192.0.2.20' };
    // Each to a different address: the per-account limit (5) never comes into play.
    for (let i = 0; i < 20; i++) {
      const res = await request(server.url, 'POST', '/api/auth/password/forgot', { body: { email: uniqueEmail(`spray${i}`) }, headers: ip });
      expect(res.status).toBe(202);
    }
    expectRateLimited(await request(server.url, 'POST', '/api/auth/password/forgot', { body: { email: uniqueEmail('spray') }, headers: ip }), 60 * 60);
    // Refused before the body is parsed: junk gets the 429, not a 400.
    expect((await request(server.url, 'POST', '/api/auth/password/forgot', { body: {}, headers: ip })).status).toBe(429);
    expect((await request(server.url, 'POST', '/api/auth/PASSWORD/forgot/', { body: { email: uniqueEmail() }, headers: ip })).status).toBe(429);
    // Another address is untouched, and login from this one is a separate budget.
    expect(
      (await request(server.url, 'POST', '/api/auth/password/forgot', { body: { email: uniqueEmail() }, headers: { 'x-forwarded-for': '192.0.2.21' } })).status,
    ).toBe(202);
    expect((await request(server.url, 'POST', '/api/auth/login', { body: {}, headers: ip })).status).toBe(400);
  });

  perAddressTest('password-forgot and verify-resend: 5 per account per hour, ready for their routes', async ({ server }) => {
    const { ctx } = server;
    const account = uniqueEmail();
    for (let i = 0; i < 5; i++) await ctx.rateLimits.consumeAccountAction('password_forgot', account);
    const error = await ctx.rateLimits.consumeAccountAction('password_forgot', account.toUpperCase()).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(429);
    expect(Number(error.headers()['Retry-After'])).toBeGreaterThan(0);
    // Separate counters per action and per account.
    await ctx.rateLimits.consumeAccountAction('verify_resend', account);
    await ctx.rateLimits.consumeAccountAction('password_forgot', uniqueEmail());
  });
});

describe('when Redis is unreachable', () => {
  it('limits still hold, in each instance’s memory, rather than failing open or erroring', async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    const server = await startServer({ ...CONTRACT, RATE_LIMIT_LOGIN_PER_IP: '1000/1m', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const alice = await registerUser(server.url);
      for (let i = 0; i < 5; i++) expect((await login(server.url, alice.email, 'Wrong-Password-1')).status).toBe(401);
      expectRateLimited(await login(server.url, alice.email, alice.password), 15 * 60);
      const bob = await registerUser(server.url);
      expect((await login(server.url, bob.email, bob.password)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('configuration', () => {
  it('RATE_LIMITS=off turns every limit off, with a warning', async () => {
    const server = await startServer({ ...CONTRACT, RATE_LIMITS: 'off', RATE_LIMIT_LOGIN_PER_IP: '2/1m' });
    try {
      expect(server.ctx.config.notices.join(' ')).toMatch(/RATE_LIMITS=off/);
      const alice = await registerUser(server.url);
      for (let i = 0; i < 7; i++) expect((await login(server.url, alice.email, 'Wrong-Password-1')).status).toBe(401);
      expect((await login(server.url, alice.email, alice.password)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('every limit is configurable, and a bad value names its variable', () => {
    const config = loadConfig({ NODE_ENV: 'test', SECRET_KEY: 'x'.repeat(40), RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '3/2h' });
    expect(config.RATE_LIMIT_LOGIN_PER_ACCOUNT_IP).toEqual({ points: 3, durationMs: 2 * 3_600_000 });
    expect(config.RATE_LIMIT_LOGIN_PER_IP).toEqual({ points: 30, durationMs: 60_000 });
    for (const bad of ['abc', '5', '0/1m', '5/0s', '5/10ms', '-1/1m']) {
      expect(() => loadConfig({ NODE_ENV: 'test', SECRET_KEY: 'x'.repeat(40), RATE_LIMIT_REGISTER_PER_IP: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'test', SECRET_KEY: 'x'.repeat(40), RATE_LIMIT_REGISTER_PER_IP: bad })).toThrow(/RATE_LIMIT_REGISTER_PER_IP/);
    }
  });

  it('keys addresses so that IPv6 hosts cannot rotate through their /64', () => {
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey(null)).toBe('unknown');
  });
});
