import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { withLoopbackSpellings } from '../../src/loopbackOrigins.js';
import { cookieValue, registerUser, request } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

/**
 * Development on 127.0.0.1: the README says http://localhost:3000, but a person who opens
 * http://127.0.0.1:3000 must be able to use the cookie endpoints (sign out, refresh) too. Outside
 * production the loopback spellings of a loopback WEB_URL are allowed origins; in production the
 * list stays exact, and the refusal says which origin was refused and which setting to change.
 */

const LOCALHOST = 'http://localhost:3000';
const SPELLINGS = ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000'];
const base = { SECRET_KEY: 'k'.repeat(40), DATA_DIR: 'memory://' };

describe('withLoopbackSpellings', () => {
  it('adds 127.0.0.1 and [::1] for a localhost WEB_URL, same scheme and port, outside production', () => {
    expect(withLoopbackSpellings([LOCALHOST], LOCALHOST, false).sort()).toEqual([...SPELLINGS].sort());
    expect(withLoopbackSpellings(['http://127.0.0.1:3000'], 'http://127.0.0.1:3000', false)).toEqual(expect.arrayContaining(SPELLINGS));
    expect(withLoopbackSpellings(['https://localhost:8443'], 'https://localhost:8443', false).sort()).toEqual([
      'https://127.0.0.1:8443',
      'https://[::1]:8443',
      'https://localhost:8443',
    ]);
  });

  it('widens nothing else', () => {
    expect(withLoopbackSpellings([LOCALHOST], LOCALHOST, true)).toEqual([LOCALHOST]); // production
    expect(withLoopbackSpellings(['https://app.example'], 'https://app.example', false)).toEqual(['https://app.example']); // a real host
    expect(withLoopbackSpellings(['https://app.example'], LOCALHOST, false)).toEqual(['https://app.example']); // WEB_URL not allowed
    expect(withLoopbackSpellings([LOCALHOST], LOCALHOST, false)).not.toContain('http://127.0.0.1:3001');
  });

  it('is what loadConfig gives CORS_ORIGINS by default, and only outside production', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).CORS_ORIGINS.sort()).toEqual([...SPELLINGS].sort());
    expect(loadConfig({ ...base, NODE_ENV: 'production', EMBEDDED_DB_IN_PRODUCTION: 'accept-risk' }).CORS_ORIGINS).toEqual([LOCALHOST]);
    expect(loadConfig({ ...base, NODE_ENV: 'development', CORS_ORIGINS: 'https://a.test' }).CORS_ORIGINS).toEqual(['https://a.test']);
  });
});

const devTest = apiTest({ NODE_ENV: 'development', WEB_URL: LOCALHOST });

describe('the cookie endpoints and CORS outside production (WEB_URL http://localhost:3000)', () => {
  devTest.beforeAll(startApi);

  devTest('a page opened at http://127.0.0.1:3000 or http://[::1]:3000 refreshes and signs out', async ({ server }) => {
    for (const origin of ['http://127.0.0.1:3000', 'http://[::1]:3000']) {
      const ada = await registerUser(server.url, {}, { origin });
      const cookie = `refresh_token=${ada.refreshToken}`;
      const refreshed = await request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie, origin } });
      expect(refreshed.status, origin).toBe(200);
      const rotated = `refresh_token=${cookieValue(refreshed.cookies, 'refresh_token')}`;
      const logout = await request(server.url, 'POST', '/api/auth/logout', { headers: { cookie: rotated, origin } });
      expect(logout.status, origin).toBe(204);
      const preflight = await fetch(`${server.url}/api/auth/logout`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    }
  });

  devTest('another port, another host, or a non-loopback origin is still refused', async ({ server }) => {
    const ada = await registerUser(server.url);
    const cookie = `refresh_token=${ada.refreshToken}`;
    for (const origin of [
      'http://127.0.0.1:3001',
      'https://127.0.0.1:3000',
      'http://127.0.0.2:3000',
      'http://localhost.evil.example:3000',
      'https://evil.example',
    ]) {
      const res = await request(server.url, 'POST', '/api/auth/logout', { headers: { cookie, origin } });
      expect(res.status, origin).toBe(403);
      expect(res.body.error.code).toBe('CSRF_REJECTED');
    }
  });
});

const prodTest = apiTest({ NODE_ENV: 'production', COOKIE_SECURE: 'true', WEB_URL: LOCALHOST });

describe('in production the list is exact, and the refusal says what to change', () => {
  prodTest.beforeAll(startApi);

  prodTest('refuses http://127.0.0.1:3000 naming the origin, CORS_ORIGINS and WEB_URL', async ({ server }) => {
    const ada = await registerUser(server.url);
    const cookie = `refresh_token=${ada.refreshToken}`;
    const res = await request(server.url, 'POST', '/api/auth/logout', { headers: { cookie, origin: 'http://127.0.0.1:3000' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_REJECTED');
    expect(res.body.error.message).toContain('"http://127.0.0.1:3000"');
    expect(res.body.error.message).toContain('CORS_ORIGINS');
    expect(res.body.error.message).toContain('WEB_URL');
    // The configured origin itself still signs out.
    expect((await request(server.url, 'POST', '/api/auth/logout', { headers: { cookie, origin: LOCALHOST } })).status).toBe(204);
  });
});
