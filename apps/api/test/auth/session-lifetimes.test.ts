import { describe, expect } from 'vitest';
import { bearer, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

/**
 * Sessions: a new session and refresh token at every login, never reused; the idle timeout
 * (JWT_REFRESH_TTL) and the absolute one (SESSION_MAX_AGE) are enforced on refresh.
 */

const BODY = { 'x-token-transport': 'body' };
const refresh = (server: TestServer, refreshToken: string) => request(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken }, headers: BODY });

const newSessionTest = apiTest();

describe('a new session at every login', () => {
  newSessionTest.beforeAll(startApi);

  newSessionTest('each login creates its own session and refresh token; none is reused', async ({ server }) => {
    const alice = await registerUser(server.url, {}, BODY);
    const logins = [];
    for (let i = 0; i < 3; i++)
      logins.push((await request(server.url, 'POST', '/api/auth/login', { body: { email: alice.email, password: STRONG_PASSWORD }, headers: BODY })).body);
    const tokens = [alice.refreshToken, ...logins.map((l) => l.refreshToken)];
    expect(new Set(tokens).size).toBe(4);
    const sessions = await request(server.url, 'GET', '/api/auth/sessions', { headers: bearer(logins[2].accessToken) });
    expect(sessions.body.sessions).toHaveLength(4);
    expect(new Set(sessions.body.sessions.map((s: { id: string }) => s.id)).size).toBe(4);
    // Ending one leaves the others alive.
    await request(server.url, 'POST', '/api/auth/logout', { body: { refreshToken: logins[0].refreshToken } });
    expect((await refresh(server, logins[1].refreshToken)).status).toBe(200);
    expect((await refresh(server, logins[0].refreshToken)).status).toBe(401);
  });
});

/**
 * The timeouts are tested by moving the sessions back in time in the database (every timestamp of
 * the user's sessions and refresh tokens at once, as if that much time had passed) rather than by
 * sleeping through second-long lifetimes: with a 2 s lifetime and a refresh every second, a busy
 * machine that slowed one refresh by a second made an active session look idle. Here the margins
 * are half an hour, which no load can cross, and the server still decides with its own clock.
 */
async function timeTravel(server: TestServer, userIds: string[], interval: string): Promise<void> {
  const users = userIds.map((id) => `'${id}'`).join(', ');
  await server.query(
    `update refresh_tokens set created_at = created_at - interval '${interval}', expires_at = expires_at - interval '${interval}', rotated_at = rotated_at - interval '${interval}'
     where session_id in (select id from sessions where user_id in (${users}))`,
  );
  await server.query(
    `update sessions set created_at = created_at - interval '${interval}', last_active_at = last_active_at - interval '${interval}',
       expires_at = expires_at - interval '${interval}', absolute_expires_at = absolute_expires_at - interval '${interval}'
     where user_id in (${users})`,
  );
}

const idleTest = apiTest({ JWT_REFRESH_TTL: '2h', SESSION_MAX_AGE: '30d' });

describe('idle timeout', () => {
  idleTest.beforeAll(startApi);

  idleTest('a refresh after JWT_REFRESH_TTL of inactivity is refused; activity keeps the session alive', async ({ server }) => {
    const active = await registerUser(server.url, {}, BODY);
    const idle = await registerUser(server.url, {}, BODY);
    const both = [active.user.id, idle.user.id];
    // 1.5 h after sign-up: the active one refreshes, which must push its idle expiry to now + 2 h.
    await timeTravel(server, both, '90 minutes');
    const renewed = await refresh(server, active.refreshToken);
    expect(renewed.status).toBe(200);
    // 3 h after sign-up: the idle one has been untouched for 3 h > 2 h; the active one for 1.5 h.
    // (Without the renewal the active one would have expired an hour ago too.)
    await timeTravel(server, both, '90 minutes');
    const expired = await refresh(server, idle.refreshToken);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('INVALID_TOKEN');
    expect((await refresh(server, renewed.body.refreshToken)).status).toBe(200);
  });
});

const absoluteTest = apiTest({ JWT_REFRESH_TTL: '2h', SESSION_MAX_AGE: '3h' });

describe('absolute timeout', () => {
  absoluteTest.beforeAll(startApi);

  absoluteTest('no refresh extends a session past SESSION_MAX_AGE after its login', async ({ server }) => {
    const bob = await registerUser(server.url, {}, BODY);
    let token = bob.refreshToken;
    // Refreshed every 80 minutes, well within the 2 h idle timeout: 80 and 160 minutes after the
    // login the session is alive, 240 minutes after it (past the 3 h maximum) it is not.
    const statuses: number[] = [];
    let refused: { status: number; body: any } | undefined;
    for (let step = 0; step < 3; step++) {
      await timeTravel(server, [bob.user.id], '80 minutes');
      const res = await refresh(server, token);
      statuses.push(res.status);
      if (res.status !== 200) {
        refused = res;
        break;
      }
      token = res.body.refreshToken;
    }
    expect(statuses).toEqual([200, 200, 401]);
    expect(refused?.body.error.code).toBe('INVALID_TOKEN');
  });
});
