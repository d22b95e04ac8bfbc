import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, request, STRONG_PASSWORD } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Sessions: a new session and refresh token at every login, never reused; the idle timeout
 * (JWT_REFRESH_TTL) and the absolute one (SESSION_MAX_AGE) are enforced on refresh.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BODY = { 'x-token-transport': 'body' };
const refresh = (server: TestServer, refreshToken: string) => request(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken }, headers: BODY });

describe('a new session at every login', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('each login creates its own session and refresh token; none is reused', async () => {
    const alice = await registerUser(server.url, {}, BODY);
    const logins = [];
    for (let i = 0; i < 3; i++) logins.push((await request(server.url, 'POST', '/api/auth/login', { body: { email: alice.email, password: STRONG_PASSWORD }, headers: BODY })).body);
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

describe('idle timeout', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ JWT_REFRESH_TTL: '2s', SESSION_MAX_AGE: '1h' });
  });
  afterAll(() => server.close());

  it('a refresh after JWT_REFRESH_TTL of inactivity is refused; activity keeps the session alive', async () => {
    const active = await registerUser(server.url, {}, BODY);
    const idle = await registerUser(server.url, {}, BODY);
    let token = active.refreshToken;
    for (let i = 0; i < 3; i++) {
      await sleep(1_000);
      const res = await refresh(server, token);
      expect(res.status).toBe(200);
      token = res.body.refreshToken;
    }
    // The idle one has been untouched for 3 s > 2 s.
    const expired = await refresh(server, idle.refreshToken);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('INVALID_TOKEN');
  });
});

describe('absolute timeout', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ JWT_REFRESH_TTL: '2s', SESSION_MAX_AGE: '3s' });
  });
  afterAll(() => server.close());

  it('no refresh extends a session past SESSION_MAX_AGE after its login', async () => {
    const bob = await registerUser(server.url, {}, BODY);
    let token = bob.refreshToken;
    const started = Date.now();
    let refused: { status: number; body: any } | undefined;
    while (Date.now() - started < 6_000) {
      await sleep(700);
      const res = await refresh(server, token);
      if (res.status !== 200) {
        refused = res;
        break;
      }
      token = res.body.refreshToken;
    }
    const elapsed = Date.now() - started;
    expect(refused?.status).toBe(401);
    expect(refused?.body.error.code).toBe('INVALID_TOKEN');
    expect(elapsed).toBeGreaterThanOrEqual(2_000); // the session began during registration, a little before `started`
    expect(elapsed).toBeLessThan(5_000);
  });
});
