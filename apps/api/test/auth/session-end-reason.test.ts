// GET /api/auth/session (an extension): when a genuine session cookie names a session that ended,
// the 401 says why in X-Session-Ended, so the web app's sign-in page can explain it.
import { describe, expect } from 'vitest';
import { findCookie } from '@portcullis/testing/core';
import { bearer, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest();

type Person = Awaited<ReturnType<typeof registerUser>>;

const sessionCookie = (person: { cookies: string[] }) => `portcullis_session=${findCookie(person.cookies, 'portcullis_session')!.value}`;

async function sessionCheck(server: TestServer, cookie: string) {
  const res = await request(server.url, 'GET', '/api/auth/session', { headers: { cookie } });
  return { status: res.status, reason: res.headers.get('x-session-ended') };
}

/** A second sign-in of the same person (another device). */
async function signInAgain(server: TestServer, person: Person) {
  const res = await request(server.url, 'POST', '/api/auth/login', { body: { email: person.email, password: person.password } });
  expect(res.status).toBe(200);
  return { accessToken: res.body.accessToken as string, cookies: res.cookies };
}

describe('session check: why a session ended (X-Session-Ended, not in the contract)', () => {
  test.beforeAll(startApi);

  test('a live session has no reason; a forged or unknown cookie gets none either', async ({ server }) => {
    const ada = await registerUser(server.url);
    expect(await sessionCheck(server, sessionCookie(ada))).toEqual({ status: 200, reason: null });
    expect(await sessionCheck(server, 'portcullis_session=00000000-0000-4000-8000-000000000000.forged')).toEqual({ status: 401, reason: null });
  });

  test('signed out here, everywhere from another device, or one session revoked from another device', async ({ server }) => {
    const here = await registerUser(server.url);
    const logout = await request(server.url, 'POST', '/api/auth/logout', { headers: { cookie: `refresh_token=${here.refreshToken}` } });
    expect(logout.status).toBe(204);
    expect(await sessionCheck(server, sessionCookie(here))).toEqual({ status: 401, reason: 'signed_out' });

    const everywhere = await registerUser(server.url);
    const other = await signInAgain(server, everywhere);
    expect((await request(server.url, 'POST', '/api/auth/logout-all', { headers: bearer(other.accessToken) })).status).toBe(204);
    expect(await sessionCheck(server, sessionCookie(everywhere))).toEqual({ status: 401, reason: 'signed_out_everywhere' });

    const revoked = await registerUser(server.url);
    const device = await signInAgain(server, revoked);
    const sessionId = (await sessionCheckBody(server, sessionCookie(revoked))).session.id as string;
    expect((await request(server.url, 'DELETE', `/api/auth/sessions/${sessionId}`, { headers: bearer(device.accessToken) })).status).toBe(204);
    expect(await sessionCheck(server, sessionCookie(revoked))).toEqual({ status: 401, reason: 'revoked' });
  });

  test('a password changed on another device; a session past its expiry', async ({ server }) => {
    const person = await registerUser(server.url);
    const other = await signInAgain(server, person);
    const change = await request(server.url, 'POST', '/api/auth/password/change', {
      headers: bearer(other.accessToken),
      body: { currentPassword: STRONG_PASSWORD, newPassword: 'Another-Strong-Pass-7' },
    });
    expect(change.status).toBe(204);
    expect(await sessionCheck(server, sessionCookie(person))).toEqual({ status: 401, reason: 'password_changed' });

    const idle = await registerUser(server.url);
    const { session } = await sessionCheckBody(server, sessionCookie(idle));
    await server.query(`update sessions set expires_at = now() - interval '1 minute' where id = '${session.id}'`);
    expect(await sessionCheck(server, sessionCookie(idle))).toEqual({ status: 401, reason: 'expired' });
  });

  test('a refused refresh says why too, before it clears the cookies (the page cannot ask afterwards)', async ({ server }) => {
    const person = await registerUser(server.url);
    const other = await signInAgain(server, person);
    expect((await request(server.url, 'POST', '/api/auth/logout-all', { headers: bearer(other.accessToken) })).status).toBe(204);
    const refused = await request(server.url, 'POST', '/api/auth/refresh', {
      headers: { cookie: `refresh_token=${person.refreshToken}; ${sessionCookie(person)}` },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-session-ended')).toBe('signed_out_everywhere');
    expect(findCookie(refused.cookies, 'portcullis_session')?.value).toBe('');
    // Without the session cookie (a non-browser client) nothing is said.
    const bare = await request(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: person.refreshToken } });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('x-session-ended')).toBeNull();
  });
});

async function sessionCheckBody(server: TestServer, cookie: string) {
  const res = await request(server.url, 'GET', '/api/auth/session', { headers: { cookie } });
  expect(res.status).toBe(200);
  return res.body as { session: { id: string } };
}
