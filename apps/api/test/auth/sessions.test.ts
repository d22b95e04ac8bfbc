import { describe, expect } from 'vitest';
import { CORE_ENV } from '@portcullis/testing/core';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest(CORE_ENV);

/** GET /api/auth/sessions and DELETE /api/auth/sessions/:id, and what a session row records. */

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const SESSION_KEYS = ['createdAt', 'current', 'device', 'expiresAt', 'id', 'ip', 'lastActiveAt', 'userAgent'];

describe('sessions', () => {
  test.beforeAll(startApi);

  const list = (server: TestServer, token: string) => request(server.url, 'GET', '/api/auth/sessions', { headers: bearer(token) });
  const revoke = (server: TestServer, token: string, id: string) => request(server.url, 'DELETE', `/api/auth/sessions/${id}`, { headers: bearer(token) });
  const login = (server: TestServer, email: string, password: string, ua: string) =>
    request(server.url, 'POST', '/api/auth/login', { body: { email, password }, headers: { 'user-agent': ua } });
  const sidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid as string;

  test('lists the live sessions with ip, user agent, a readable device and the current one marked', async ({ server }) => {
    const alice = await registerUser(server.url, {}, { 'user-agent': FIREFOX_WINDOWS });
    const phone = await login(server, alice.email, alice.password, SAFARI_IPHONE);
    const res = await list(server, alice.accessToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.sessions).toHaveLength(2);
    for (const s of res.body.sessions) {
      expect(Object.keys(s).sort()).toEqual(SESSION_KEYS);
      expect(s.ip).toMatch(/127\.0\.0\.1$/);
      for (const field of ['createdAt', 'lastActiveAt', 'expiresAt']) expect(new Date(s[field]).toISOString()).toBe(s[field]);
    }
    const byId = Object.fromEntries(res.body.sessions.map((s: { id: string }) => [s.id, s]));
    expect(byId[sidOf(alice.accessToken)]).toMatchObject({ current: true, userAgent: FIREFOX_WINDOWS, device: 'Firefox on Windows' });
    expect(byId[sidOf(phone.body.accessToken)]).toMatchObject({ current: false, userAgent: SAFARI_IPHONE, device: expect.stringMatching(/Safari.*iOS/) });
    // The phone sees itself as current.
    const fromPhone = await list(server, phone.body.accessToken);
    expect(fromPhone.body.sessions.filter((s: { current: boolean }) => s.current).map((s: { id: string }) => s.id)).toEqual([sidOf(phone.body.accessToken)]);
  });

  test('stores ip, user agent and device on the session row', async ({ server }) => {
    const alice = await registerUser(server.url, {}, { 'user-agent': FIREFOX_WINDOWS });
    const [row] = await server.query<{ ip: string; user_agent: string; device: string }>(
      `select ip, user_agent, device from sessions where user_id = '${alice.user.id}'`,
    );
    expect(row).toMatchObject({ user_agent: FIREFOX_WINDOWS, device: 'Firefox on Windows' });
    expect(row!.ip).toMatch(/127\.0\.0\.1$/);
  });

  test('updates lastActiveAt when the session refreshes', async ({ server }) => {
    const alice = await registerUser(server.url);
    await server.query(`update sessions set last_active_at = now() - interval '2 hours' where user_id = '${alice.user.id}'`);
    const before = (await list(server, alice.accessToken)).body.sessions[0].lastActiveAt;
    expect(Date.now() - new Date(before).getTime()).toBeGreaterThan(3600_000);
    const refreshed = await request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${alice.refreshToken}` } });
    expect(refreshed.status).toBe(200);
    const after = (await list(server, refreshed.body.accessToken)).body.sessions[0].lastActiveAt;
    expect(Date.now() - new Date(after).getTime()).toBeLessThan(60_000);
  });

  test('lists only the caller’s own live sessions: not revoked, not expired, not someone else’s', async ({ server }) => {
    const alice = await registerUser(server.url);
    const bob = await registerUser(server.url);
    const old = await login(server, alice.email, alice.password, 'old-device/1.0');
    const gone = await login(server, alice.email, alice.password, 'gone-device/1.0');
    await server.query(`update sessions set expires_at = now() - interval '1 minute' where id = '${sidOf(old.body.accessToken)}'`);
    expect((await revoke(server, alice.accessToken, sidOf(gone.body.accessToken))).status).toBe(204);
    const ids = (await list(server, alice.accessToken)).body.sessions.map((s: { id: string }) => s.id);
    expect(ids).toEqual([sidOf(alice.accessToken)]);
    expect(ids).not.toContain(sidOf(bob.accessToken));
  });

  test('revokes one of the caller’s sessions: its access token fails on the very next request, its refresh token too', async ({ server }) => {
    const alice = await registerUser(server.url);
    const laptop = await login(server, alice.email, alice.password, FIREFOX_WINDOWS);
    const laptopRefresh = laptop.cookies
      .find((c) => c.startsWith('refresh_token='))!
      .split(';')[0]!
      .slice('refresh_token='.length);
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(laptop.body.accessToken) })).status).toBe(200);

    const res = await revoke(server, alice.accessToken, sidOf(laptop.body.accessToken));
    expect(res.status).toBe(204);
    const next = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(laptop.body.accessToken) });
    expect(next.status).toBe(401);
    expect(next.body.error.code).toBe('INVALID_TOKEN');
    expect(next.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const refresh = await request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${laptopRefresh}` } });
    expect(refresh.status).toBe(401);
    // The caller's own session is untouched.
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) })).status).toBe(200);
    const events = await server.query<{ details: { sessionId: string } }>(
      `select details from audit_events where user_id = '${alice.user.id}' and type = 'session.revoked'`,
    );
    expect(events.map((e) => e.details.sessionId)).toEqual([sidOf(laptop.body.accessToken)]);
  });

  test('lets the caller revoke the current session too', async ({ server }) => {
    const alice = await registerUser(server.url);
    expect((await revoke(server, alice.accessToken, sidOf(alice.accessToken))).status).toBe(204);
    expect((await list(server, alice.accessToken)).status).toBe(401);
  });

  test('answers 404 NOT_FOUND for another user’s, an unknown, a revoked or a malformed session id', async ({ server }) => {
    const alice = await registerUser(server.url);
    const bob = await registerUser(server.url);
    const spare = await login(server, alice.email, alice.password, 'spare/1.0');
    await revoke(server, alice.accessToken, sidOf(spare.body.accessToken));
    for (const id of [sidOf(bob.accessToken), '00000000-0000-4000-8000-000000000000', sidOf(spare.body.accessToken), 'not-a-uuid', "1'%20or%20'1'='1"]) {
      const res = await revoke(server, alice.accessToken, id);
      expect(res.status, id).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    // Bob's session survived Alice's attempt.
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(bob.accessToken) })).status).toBe(200);
  });

  test('accepts an upper-case session id as the same session', async ({ server }) => {
    const alice = await registerUser(server.url);
    const other = await login(server, alice.email, alice.password, 'upper/1.0');
    expect((await revoke(server, alice.accessToken, sidOf(other.body.accessToken).toUpperCase())).status).toBe(204);
  });

  test('requires a bearer token: 401 for list and revoke', async ({ server }) => {
    const res = await request(server.url, 'GET', '/api/auth/sessions');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    const del = await request(server.url, 'DELETE', '/api/auth/sessions/00000000-0000-4000-8000-000000000000');
    expect(del.status).toBe(401);
  });
});
