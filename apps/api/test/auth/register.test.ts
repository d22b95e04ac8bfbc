import { createHash } from 'node:crypto';
import { describe, expect } from 'vitest';
import { CORE_ENV, findCookie, USER_KEYS } from '@portcullis/testing/core';
import { bearer, cookieValue, registerUser, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest(CORE_ENV);

/** POST /api/auth/register: every row of the contract, positive and negative. */
describe('POST /api/auth/register', () => {
  test.beforeAll(startApi);

  const register = (server: TestServer, body: unknown, headers: Record<string, string> = {}) =>
    request(server.url, 'POST', '/api/auth/register', { body, headers });

  test('creates the account, signs in and sets the refresh cookie with the contract attributes', async ({ server }) => {
    const email = uniqueEmail('reg');
    const res = await register(server, { email, password: STRONG_PASSWORD, displayName: 'Ada Lovelace' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType', 'user']);
    expect(res.body.tokenType).toBe('Bearer');
    expect(res.body.expiresIn).toBe(900);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const { user } = res.body;
    expect(Object.keys(user).sort()).toEqual(USER_KEYS);
    expect(user).toMatchObject({ email, displayName: 'Ada Lovelace', role: 'user', emailVerified: false, mfaEnabled: false });
    expect(new Date(user.createdAt).toISOString()).toBe(user.createdAt);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|\$2b\$|passwordHash/);

    const cookie = findCookie(res.cookies, 'refresh_token')!;
    expect(cookie).toBeDefined();
    expect(cookie.value.length).toBeGreaterThanOrEqual(43); // 32 random bytes in base64url
    expect(cookie.attributes).toMatchObject({ httponly: true, samesite: 'Strict', path: '/api/auth', 'max-age': String(7 * 24 * 3600) });
    expect(cookie.attributes.secure).toBeUndefined(); // COOKIE_SECURE unset outside production

    const me = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(res.body.accessToken) });
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual(user);
  });

  test('stores only the SHA-256 of the refresh token and a password hash, never the secrets', async ({ server }) => {
    const alice = await registerUser(server.url);
    const digest = createHash('sha256').update(alice.refreshToken).digest('hex');
    const tokens = await server.query<{ token_hash: string }>(
      `select rt.token_hash from refresh_tokens rt join sessions s on s.id = rt.session_id where s.user_id = '${alice.user.id}'`,
    );
    expect(tokens.map((t) => t.token_hash)).toEqual([digest]);
    const [row] = await server.query<{ password_hash: string }>(`select password_hash from users where id = '${alice.user.id}'`);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.password_hash).not.toContain(alice.password);
  });

  test('records a user.registered audit event', async ({ server }) => {
    const alice = await registerUser(server.url);
    const events = await server.query<{ type: string }>(`select type from audit_events where user_id = '${alice.user.id}'`);
    expect(events.map((e) => e.type)).toContain('user.registered');
  });

  test('trims the email, keeps its case as typed and refuses the same address in another case', async ({ server }) => {
    const local = `Mixed.Case.${Date.now()}`;
    const typed = `${local}@Example.COM`;
    const res = await register(server, { email: `  ${typed}  `, password: STRONG_PASSWORD, displayName: 'Case' });
    expect(res.status).toBe(201);
    expect(res.body.user.email).toBe(typed);
    const [row] = await server.query<{ email: string }>(`select email from users where id = '${res.body.user.id}'`);
    expect(row!.email).toBe(typed);

    const again = await register(server, { email: typed.toUpperCase(), password: STRONG_PASSWORD, displayName: 'Dup' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('EMAIL_TAKEN');
    expect(findCookie(again.cookies, 'refresh_token')).toBeUndefined();

    const login = await request(server.url, 'POST', '/api/auth/login', { body: { email: ` ${typed.toLowerCase()} `, password: STRONG_PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(res.body.user.id);
  });

  test('returns the refresh token in the body and sets no cookie with X-Token-Transport: body', async ({ server }) => {
    const res = await register(server, { email: uniqueEmail(), password: STRONG_PASSWORD, displayName: 'CLI' }, { 'x-token-transport': 'body' });
    expect(res.status).toBe(201);
    expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(res.cookies).toEqual([]);
    const refreshed = await request(server.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: res.body.refreshToken },
      headers: { 'x-token-transport': 'body' },
    });
    expect(refreshed.status).toBe(200);
  });

  test.for([
    ['a malformed email', { email: 'not-an-email', password: STRONG_PASSWORD, displayName: 'X' }, 'email'],
    ['a missing email', { password: STRONG_PASSWORD, displayName: 'X' }, 'email'],
    ['a too short password', { email: 'short@example.com', password: 'Ab1!', displayName: 'X' }, 'password'],
    ['a password without a symbol', { email: 'nosym@example.com', password: 'Abcdefgh1', displayName: 'X' }, 'password'],
    ['a password without a digit', { email: 'nodigit@example.com', password: 'Abcdefgh!', displayName: 'X' }, 'password'],
    ['a password without upper case', { email: 'noupper@example.com', password: 'abcdefg1!', displayName: 'X' }, 'password'],
    ['a password without lower case', { email: 'nolower@example.com', password: 'ABCDEFG1!', displayName: 'X' }, 'password'],
    ['a password over 128 characters', { email: 'long@example.com', password: 'Aa1!' + 'x'.repeat(125), displayName: 'X' }, 'password'],
    ['a missing displayName', { email: 'noname@example.com', password: STRONG_PASSWORD }, 'displayName'],
    ['a blank displayName', { email: 'blank@example.com', password: STRONG_PASSWORD, displayName: '   ' }, 'displayName'],
    ['control characters in displayName', { email: 'ctl@example.com', password: STRONG_PASSWORD, displayName: 'a\u0000b' }, 'displayName'],
    ['a non-string password', { email: 'num@example.com', password: 12345678, displayName: 'X' }, 'password'],
  ])('refuses %s with 400 VALIDATION_FAILED naming the field', async ([, body, field], { server }) => {
    const res = await register(server, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
    expect(res.cookies).toEqual([]);
  });

  test('accepts exactly 128 characters and lists every missing password rule at once', async ({ server }) => {
    const ok = await register(server, { email: uniqueEmail(), password: 'Aa1!' + 'x'.repeat(124), displayName: 'Max' });
    expect(ok.status).toBe(201);
    const res = await register(server, { email: uniqueEmail(), password: 'short', displayName: 'X' });
    expect(res.body.error.details[0].message).toMatch(/8 characters.*upper-case.*digit.*symbol/);
  });

  test('ignores unknown fields: no mass assignment of role, id, emailVerified or passwordHash', async ({ server }) => {
    const email = uniqueEmail('mass');
    const res = await register(server, {
      email,
      password: STRONG_PASSWORD,
      displayName: 'Mallory',
      role: 'admin',
      id: '00000000-0000-4000-8000-000000000000',
      emailVerified: true,
      emailVerifiedAt: new Date().toISOString(),
      passwordHash: '$2b$04$abcdefghijklmnopqrstuu',
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ role: 'user', emailVerified: false });
    expect(res.body.user.id).not.toBe('00000000-0000-4000-8000-000000000000');
    const [row] = await server.query<{ role: string; email_verified_at: unknown; password_hash: string }>(
      `select role, email_verified_at, password_hash from users where id = '${res.body.user.id}'`,
    );
    expect(row).toMatchObject({ role: 'user', email_verified_at: null });
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
  });

  test('is not fooled by __proto__ or constructor keys in the JSON', async ({ server }) => {
    const email = uniqueEmail('proto');
    const raw = `{"email":"${email}","password":"${STRONG_PASSWORD}","displayName":"Proto","__proto__":{"role":"admin","emailVerified":true},"constructor":{"prototype":{"role":"admin"}}}`;
    const res = await request(server.url, 'POST', '/api/auth/register', { rawBody: raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ role: 'user', emailVerified: false });
    const [row] = await server.query<{ role: string }>(`select role from users where id = '${res.body.user.id}'`);
    expect(row!.role).toBe('user');
    // Nothing leaked into the process's prototypes either.
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  test('treats SQL metacharacters in the email as data', async ({ server }) => {
    const [{ n: before }] = (await server.query<{ n: number }>('select count(*)::int as n from users')) as [{ n: number }];
    const tricky = `o'brien+${Date.now()}"--;@example.com`;
    const res = await register(server, { email: tricky, password: STRONG_PASSWORD, displayName: "Robert'); DROP TABLE users;--" });
    // Either refused as an invalid address or stored verbatim; never a 500 and never SQL.
    if (res.status === 201) {
      expect(res.body.user.email).toBe(tricky);
      expect(res.body.user.displayName).toBe("Robert'); DROP TABLE users;--");
    } else {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const quoted = `o'brien.${Date.now()}@example.com`;
    const ok = await register(server, { email: quoted, password: STRONG_PASSWORD, displayName: 'Quote' });
    expect(ok.status).toBe(201);
    expect(ok.body.user.email).toBe(quoted);
    const injection = await request(server.url, 'POST', '/api/auth/login', { body: { email: "' OR '1'='1' --", password: "' OR '1'='1" } });
    expect(injection.status).toBe(401);
    expect(injection.body.error.code).toBe('INVALID_CREDENTIALS');
    const [{ n: after }] = (await server.query<{ n: number }>('select count(*)::int as n from users')) as [{ n: number }];
    expect(after).toBe(before + (res.status === 201 ? 2 : 1));
  });

  test('answers two simultaneous sign-ups for one address with one 201 and one 409', async ({ server }) => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      [0, 1].map((i) => register(server, { email: i ? email.toUpperCase() : email, password: STRONG_PASSWORD, displayName: 'Racer' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = await server.query(`select id from users where email_normalized = '${email.toLowerCase()}'`);
    expect(rows).toHaveLength(1);
  });

  test('sets a second cookie only for the web app session check, never the token in another place', async ({ server }) => {
    const res = await register(server, { email: uniqueEmail(), password: STRONG_PASSWORD, displayName: 'Web' });
    const refreshToken = cookieValue(res.cookies, 'refresh_token')!;
    for (const c of res.cookies.filter((c) => !c.startsWith('refresh_token='))) expect(c).not.toContain(refreshToken);
    expect(JSON.stringify(res.body)).not.toContain(refreshToken);
  });
});
