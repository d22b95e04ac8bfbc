import { describe, expect } from 'vitest';
import { CORE_ENV, findCookie, sleep } from '@portcullis/testing/core';
import { bearer, cookieValue, registerUser, request, uniqueEmail } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest(CORE_ENV);

/** Logout, logout-all and GET /me: revocation takes effect on the very next request. */
describe('revocation', () => {
  test.beforeAll(startApi);

  const me = (server: TestServer, token: string, url = server.url) => request(url, 'GET', '/api/auth/me', { headers: bearer(token) });
  const logout = (server: TestServer, headers: Record<string, string> = {}, body?: unknown) =>
    request(server.url, 'POST', '/api/auth/logout', { headers, body });
  const refresh = (server: TestServer, token: string) => request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${token}` } });

  function expectCleared(cookies: string[]) {
    const cleared = findCookie(cookies, 'refresh_token');
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes).toMatchObject({ path: '/api/auth', 'max-age': '0', httponly: true, samesite: 'Strict' });
  }

  async function expectRevoked(server: TestServer, accessToken: string) {
    const res = await me(server, accessToken);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  }

  describe('GET /api/auth/me', () => {
    test('returns the user, never a hash', async ({ server }) => {
      const alice = await registerUser(server.url, { displayName: 'Alice' });
      const res = await me(server, alice.accessToken);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual({ user: alice.user });
      expect(JSON.stringify(res.body)).not.toMatch(/argon|passwordHash|password_hash/i);
    });

    test('refuses the token of a deleted account', async ({ server }) => {
      const alice = await registerUser(server.url);
      await server.query(`delete from users where id = '${alice.user.id}'`);
      await expectRevoked(server, alice.accessToken);
    });
  });

  describe('POST /api/auth/logout', () => {
    test('revokes the session: 204, cookie cleared, the old access token fails on the very next request', async ({ server }) => {
      const alice = await registerUser(server.url);
      expect((await me(server, alice.accessToken)).status).toBe(200);
      const res = await logout(server, { cookie: `refresh_token=${alice.refreshToken}` });
      expect(res.status).toBe(204);
      expectCleared(res.cookies);
      await expectRevoked(server, alice.accessToken);
      expect((await refresh(server, alice.refreshToken)).status).toBe(401);
      const events = await server.query(`select id from audit_events where user_id = '${alice.user.id}' and type = 'logout'`);
      expect(events).toHaveLength(1);
    });

    test('ends only that session', async ({ server }) => {
      const alice = await registerUser(server.url);
      const other = await request(server.url, 'POST', '/api/auth/login', { body: { email: alice.email, password: alice.password } });
      expect((await logout(server, { cookie: `refresh_token=${alice.refreshToken}` })).status).toBe(204);
      expect((await me(server, other.body.accessToken)).status).toBe(200);
      expect((await refresh(server, cookieValue(other.cookies, 'refresh_token')!)).status).toBe(200);
    });

    test('takes the refresh token from the body for non-browser clients', async ({ server }) => {
      const alice = await registerUser(server.url, {}, { 'x-token-transport': 'body' });
      const res = await logout(server, {}, { refreshToken: alice.refreshToken });
      expect(res.status).toBe(204);
      await expectRevoked(server, alice.accessToken);
    });

    test('is idempotent: 204 with no token, a dead token or an unknown one, and the cookie cleared each time', async ({ server }) => {
      const alice = await registerUser(server.url);
      for (const headers of <Record<string, string>[]>[
        {},
        { cookie: `refresh_token=${alice.refreshToken}` },
        { cookie: `refresh_token=${alice.refreshToken}` },
        { cookie: 'refresh_token=unknown' },
      ]) {
        const res = await logout(server, headers);
        expect(res.status).toBe(204);
        expectCleared(res.cookies);
      }
      const events = await server.query(`select id from audit_events where user_id = '${alice.user.id}' and type = 'logout'`);
      expect(events).toHaveLength(1);
    });

    test('revokes with a rotated-away token too, ending the session it belongs to', async ({ server }) => {
      // A stolen old token must not be useless for logging out, nor able to keep a session alive.
      const alice = await registerUser(server.url);
      const rotated = await refresh(server, alice.refreshToken);
      expect(rotated.status).toBe(200);
      expect((await logout(server, { cookie: `refresh_token=${alice.refreshToken}` })).status).toBe(204);
      await expectRevoked(server, rotated.body.accessToken);
      expect((await refresh(server, cookieValue(rotated.cookies, 'refresh_token')!)).status).toBe(401);
    });
  });

  describe('POST /api/auth/logout-all', () => {
    test('revokes every session of the user: all access tokens fail on the very next request, refresh tokens too', async ({ server }) => {
      const alice = await registerUser(server.url);
      const logins = await Promise.all(
        [1, 2].map(() => request(server.url, 'POST', '/api/auth/login', { body: { email: alice.email, password: alice.password } })),
      );
      const bob = await registerUser(server.url);
      const res = await request(server.url, 'POST', '/api/auth/logout-all', { headers: bearer(alice.accessToken) });
      expect(res.status).toBe(204);
      expectCleared(res.cookies);
      for (const token of [alice.accessToken, ...logins.map((l) => l.body.accessToken)]) await expectRevoked(server, token);
      for (const token of [alice.refreshToken, ...logins.map((l) => cookieValue(l.cookies, 'refresh_token')!)])
        expect((await refresh(server, token)).status).toBe(401);
      const live = await server.query(`select id from sessions where user_id = '${alice.user.id}' and revoked_at is null`);
      expect(live).toHaveLength(0);
      expect((await me(server, bob.accessToken)).status).toBe(200);
      const events = await server.query(`select id from audit_events where user_id = '${alice.user.id}' and type = 'logout.all'`);
      expect(events).toHaveLength(1);
      // Signing in again afterwards works and is not caught by the old revocations.
      const again = await request(server.url, 'POST', '/api/auth/login', { body: { email: alice.email, password: alice.password } });
      expect((await me(server, again.body.accessToken)).status).toBe(200);
    });

    test('requires a valid bearer token', async ({ server }) => {
      const res = await request(server.url, 'POST', '/api/auth/logout-all');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const alice = await registerUser(server.url);
      // A refresh cookie alone is not enough.
      const withCookie = await request(server.url, 'POST', '/api/auth/logout-all', { headers: { cookie: `refresh_token=${alice.refreshToken}` } });
      expect(withCookie.status).toBe(401);
      expect((await refresh(server, alice.refreshToken)).status).toBe(200);
    });
  });

  // Revocation reaches every instance. On PGlite only one process can open the database.
  test.skipIf(!process.env.DATABASE_URL)('reaches a second instance on the same database', async ({ server }) => {
    const second = await startServer(server.env);
    try {
      const alice = await registerUser(server.url, { email: uniqueEmail('multi') });
      expect((await me(server, alice.accessToken, second.url)).status).toBe(200);
      expect((await logout(server, { cookie: `refresh_token=${alice.refreshToken}` })).status).toBe(204);
      // The bus delivers within milliseconds; polled up to 10 s (was 20 tries 50 ms apart, about
      // a second, which a busy machine can spend on a few requests). Still far below the 30 s
      // periodic reload, the only other way a revocation reaches the second instance, so a
      // missing broadcast still fails.
      let status = 0;
      const deadline = Date.now() + 10_000;
      while (status !== 401 && Date.now() < deadline) {
        status = (await me(server, alice.accessToken, second.url)).status;
        if (status !== 401) await sleep(50);
      }
      expect(status).toBe(401);
    } finally {
      await second.close();
    }
  });
});
