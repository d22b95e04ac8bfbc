import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_ENV, findCookie } from '@portcullis/testing/core';
import { bearer, cookieValue, registerUser, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';

/**
 * The conventions every endpoint shares: request ids, the error shape, 404, bad bodies, CORS, the
 * CSRF origin check on the cookie endpoints, security headers, health checks, cookie flags.
 */

const APP = 'http://app.example.test';
const OTHER_APP = 'https://admin.example.test';
const EVIL = 'https://evil.example.test';

/** A raw request, for bodies fetch would label on its own (no Content-Type at all). */
function rawPost(url: string, path: string, body: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = httpRequest(url + path, { method: 'POST', headers: { 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTP conventions', () => {
  let server: TestServer;
  let production: TestServer;
  let secureCookies: TestServer;
  beforeAll(async () => {
    [server, production, secureCookies] = await Promise.all([
      startServer({ ...CORE_ENV, CORS_ORIGINS: `${APP}, ${OTHER_APP}` }),
      startServer({ ...CORE_ENV, NODE_ENV: 'production' }),
      startServer({ ...CORE_ENV, COOKIE_SECURE: 'true' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), production?.close(), secureCookies?.close()]);
  });

  function expectErrorShape(res: { body: any; headers: Headers }, status: number, code: string, actualStatus: number) {
    expect(actualStatus).toBe(status);
    expect(Object.keys(res.body).sort()).toEqual(['error', 'requestId']);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.code).toMatch(/^[A-Z][A-Z_]*$/);
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(Object.keys(res.body.error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
    expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(ts|js):\d+|select |insert into/i);
  }

  describe('request ids', () => {
    it('echoes a safe X-Request-Id on success and on errors, in the header and the error body', async () => {
      const id = 'client-Req_1.2';
      const ok = await request(server.url, 'GET', '/healthz', { headers: { 'x-request-id': id } });
      expect(ok.headers.get('x-request-id')).toBe(id);
      const err = await request(server.url, 'GET', '/api/auth/me', { headers: { 'x-request-id': id } });
      expect(err.headers.get('x-request-id')).toBe(id);
      expect(err.body.requestId).toBe(id);
      const longest = 'a'.repeat(128);
      expect((await request(server.url, 'GET', '/healthz', { headers: { 'x-request-id': longest } })).headers.get('x-request-id')).toBe(longest);
    });

    it.each([
      ['spaces', 'has space'],
      ['too long', 'a'.repeat(129)],
      ['markup', '<script>'],
      ['CRLF-like', 'a%0d%0ab'],
      ['slashes', '../etc'],
    ])('replaces an unsafe one (%s) with a fresh UUID', async (_name, id) => {
      const res = await request(server.url, 'GET', '/healthz', { headers: { 'x-request-id': id } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('gives every request without one its own id', async () => {
      const [a, b] = await Promise.all([request(server.url, 'GET', '/healthz'), request(server.url, 'GET', '/healthz')]);
      expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    });
  });

  describe('unknown routes', () => {
    it.each([
      ['GET', '/nope'],
      ['GET', '/api/auth/nope'],
      ['GET', '/api/auth/login'],
      ['PUT', '/api/auth/me'],
      ['POST', '/.well-known/jwks.json'],
    ])('%s %s is 404 NOT_FOUND in the error shape', async (method, path) => {
      const res = await request(server.url, method, path);
      expectErrorShape(res, 404, 'NOT_FOUND', res.status);
    });
  });

  describe('request bodies', () => {
    const register = { email: 'body@example.com', password: STRONG_PASSWORD, displayName: 'Body' };

    it('refuses a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
        const res = await request(server.url, 'POST', '/api/auth/register', { rawBody: JSON.stringify(register), headers: { 'content-type': type } });
        expectErrorShape(res, 415, 'UNSUPPORTED_MEDIA_TYPE', res.status);
      }
      const none = await rawPost(server.url, '/api/auth/login', JSON.stringify(register));
      expect(none.status).toBe(415);
      expect(none.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      // JSON is UTF-8 (RFC 8259): another charset is refused as a media type the API does not take.
      const latin1 = await request(server.url, 'POST', '/api/auth/login', {
        rawBody: JSON.stringify(register),
        headers: { 'content-type': 'application/json; charset=iso-8859-1' },
      });
      expect(latin1.status).toBe(415);
      expect(latin1.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('refuses malformed JSON with 400 INVALID_JSON', async () => {
      for (const raw of ['{"email":', '{email: "a"}', "{'a':1}", 'null', '"a string"', '12', '{"a":1}garbage']) {
        const res = await request(server.url, 'POST', '/api/auth/login', { rawBody: raw, headers: { 'content-type': 'application/json' } });
        expectErrorShape(res, 400, 'INVALID_JSON', res.status);
      }
    });

    it('refuses a JSON array as a body with 400', async () => {
      const res = await request(server.url, 'POST', '/api/auth/login', { rawBody: '[1,2]', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
    });

    it('refuses a body over 16 KiB with 413 PAYLOAD_TOO_LARGE and accepts one just under', async () => {
      const big = { ...register, displayName: 'x'.repeat(17 * 1024) };
      const res = await request(server.url, 'POST', '/api/auth/register', { body: big });
      expectErrorShape(res, 413, 'PAYLOAD_TOO_LARGE', res.status);
      const under = { email: uniqueEmail(), password: STRONG_PASSWORD, displayName: 'Under', padding: 'x'.repeat(15 * 1024) };
      expect((await request(server.url, 'POST', '/api/auth/register', { body: under })).status).toBe(201);
    });

    it('refuses a chunked body (no Content-Length) over 16 KiB with 413 too', async () => {
      const res = await new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = httpRequest(
          `${server.url}/api/auth/login`,
          { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
          (r) => {
            let text = '';
            r.on('data', (c) => (text += c));
            r.on('end', () => resolve({ status: r.statusCode!, body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.write('{"email":"a@example.com","password":"');
        for (let i = 0; i < 20; i++) req.write('x'.repeat(1024));
        req.end('"}');
      });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('lists one detail per invalid field', async () => {
      const res = await request(server.url, 'POST', '/api/auth/register', { body: { email: 'nope', password: 'weak' } });
      expectErrorShape(res, 400, 'VALIDATION_FAILED', res.status);
      const fields = res.body.error.details.map((d: { field: string }) => d.field).sort();
      expect(fields).toEqual(['displayName', 'email', 'password']);
      for (const d of res.body.error.details) expect(Object.keys(d).sort()).toEqual(['field', 'message']);
    });
  });

  describe('CORS', () => {
    it('echoes an allowed origin exactly, with credentials, never *', async () => {
      for (const origin of [APP, OTHER_APP]) {
        const res = await request(server.url, 'GET', '/healthz', { headers: { origin } });
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(res.headers.get('access-control-allow-credentials')).toBe('true');
        expect(res.headers.get('vary')).toMatch(/origin/i);
      }
    });

    it('answers an allowed preflight for the refresh endpoint', async () => {
      const res = await request(server.url, 'OPTIONS', '/api/auth/refresh', {
        headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-token-transport' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-token-transport');
    });

    it('gives a refused origin no CORS headers, on requests and preflights', async () => {
      for (const origin of [EVIL, 'null', `${APP}.evil.test`, APP.replace('http:', 'https:')]) {
        const res = await request(server.url, 'GET', '/healthz', { headers: { origin } });
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        const pre = await request(server.url, 'OPTIONS', '/api/auth/login', { headers: { origin, 'access-control-request-method': 'POST' } });
        expect(pre.headers.get('access-control-allow-origin')).toBeNull();
        expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
      }
    });
  });

  describe('CSRF origin check on the cookie endpoints', () => {
    const withCookie = (token: string, headers: Record<string, string>) => ({ headers: { cookie: `refresh_token=${token}`, ...headers } });

    it('refuses a cross-site refresh with 403 CSRF_REJECTED and leaves the session untouched', async () => {
      const alice = await registerUser(server.url);
      for (const headers of [
        { origin: EVIL },
        { origin: 'null' },
        { referer: `${EVIL}/page` },
        { referer: 'not a url' },
        { origin: EVIL, referer: `${APP}/` },
      ] as Record<string, string>[]) {
        const res = await request(server.url, 'POST', '/api/auth/refresh', withCookie(alice.refreshToken, headers));
        expectErrorShape(res, 403, 'CSRF_REJECTED', res.status);
        expect(findCookie(res.cookies, 'refresh_token')).toBeUndefined();
      }
      // Not rotated, not revoked: the same token still works from the app's origin.
      const ok = await request(server.url, 'POST', '/api/auth/refresh', withCookie(alice.refreshToken, { origin: APP }));
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
      const viaReferer = await request(
        server.url,
        'POST',
        '/api/auth/refresh',
        withCookie(cookieValue(ok.cookies, 'refresh_token')!, { referer: `${OTHER_APP}/settings` }),
      );
      expect(viaReferer.status).toBe(200);
    });

    it('refuses a cross-site logout with 403 CSRF_REJECTED and keeps the session alive', async () => {
      const alice = await registerUser(server.url);
      const res = await request(server.url, 'POST', '/api/auth/logout', withCookie(alice.refreshToken, { origin: EVIL }));
      expectErrorShape(res, 403, 'CSRF_REJECTED', res.status);
      expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) })).status).toBe(200);
      const ok = await request(server.url, 'POST', '/api/auth/logout', withCookie(alice.refreshToken, { origin: APP }));
      expect(ok.status).toBe(204);
    });

    it('lets non-browser clients (no Origin, no Referer) through', async () => {
      const alice = await registerUser(server.url);
      expect((await request(server.url, 'POST', '/api/auth/refresh', withCookie(alice.refreshToken, {}))).status).toBe(200);
    });
  });

  describe('security headers', () => {
    it.each([
      ['a success', 'GET', '/healthz'],
      ['a 401', 'GET', '/api/auth/me'],
      ['a 404', 'GET', '/nope'],
      ['the JWKS', 'GET', '/.well-known/jwks.json'],
    ])('are on %s', async (_name, method, path) => {
      const res = await request(server.url, method, path);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('strict-transport-security')).toBeNull(); // not outside production
    });

    it('include Strict-Transport-Security in production', async () => {
      for (const path of ['/healthz', '/nope']) {
        const res = await request(production.url, 'GET', path);
        expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
      }
    });
  });

  describe('cookie Secure flag', () => {
    async function cookiesFrom(s: TestServer) {
      const reg = await request(s.url, 'POST', '/api/auth/register', { body: { email: uniqueEmail(), password: STRONG_PASSWORD, displayName: 'S' } });
      const out = await request(s.url, 'POST', '/api/auth/logout', { headers: { cookie: `refresh_token=${cookieValue(reg.cookies, 'refresh_token')}` } });
      return { set: findCookie(reg.cookies, 'refresh_token')!, cleared: findCookie(out.cookies, 'refresh_token')! };
    }

    it('is set (and kept when clearing) in production and with COOKIE_SECURE=true', async () => {
      for (const s of [production, secureCookies]) {
        const { set, cleared } = await cookiesFrom(s);
        expect(set.attributes).toMatchObject({ secure: true, httponly: true, samesite: 'Strict', path: '/api/auth' });
        expect(cleared.attributes).toMatchObject({ secure: true, 'max-age': '0', path: '/api/auth' });
      }
    });

    it('is absent in development by default', async () => {
      const { set } = await cookiesFrom(server);
      expect(set.attributes.secure).toBeUndefined();
    });
  });

  describe('health', () => {
    it('GET /healthz answers 200 while the process runs', async () => {
      const res = await request(server.url, 'GET', '/healthz');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
    });

    it('GET /readyz answers 200 when the database (and Redis, when set) answers', async () => {
      const res = await request(server.url, 'GET', '/readyz');
      expect(res.status).toBe(200);
      expect(res.body.checks.database).toBe('ok');
      if (process.env.REDIS_URL) expect(res.body.checks.redis).toBe('ok');
    });
  });

  describe('GET /api/auth/session (the web app’s cookie check)', () => {
    it('names the user of a live session from the signed session cookie, and nothing after logout', async () => {
      const reg = await request(server.url, 'POST', '/api/auth/register', { body: { email: uniqueEmail(), password: STRONG_PASSWORD, displayName: 'Web' } });
      const sessionCookie = findCookie(reg.cookies, 'portcullis_session')!;
      expect(sessionCookie.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
      const cookie = `portcullis_session=${sessionCookie.value}`;
      const res = await request(server.url, 'GET', '/api/auth/session', { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body.user).toEqual(reg.body.user);
      expect(JSON.stringify(res.body)).not.toContain(cookieValue(reg.cookies, 'refresh_token')!);

      const [id] = sessionCookie.value.split('.');
      const forged = await request(server.url, 'GET', '/api/auth/session', { headers: { cookie: `portcullis_session=${id}.forged` } });
      expect(forged.status).toBe(401);
      expect((await request(server.url, 'GET', '/api/auth/session')).status).toBe(401);

      await request(server.url, 'POST', '/api/auth/logout', { headers: { cookie: `refresh_token=${cookieValue(reg.cookies, 'refresh_token')}` } });
      expect((await request(server.url, 'GET', '/api/auth/session', { headers: { cookie } })).status).toBe(401);
    });
  });
});
