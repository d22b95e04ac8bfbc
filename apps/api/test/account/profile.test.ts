import { describe, expect } from 'vitest';
import { deleteUser } from '../../src/services/roles.js';
import { findCookie } from '@portcullis/testing/core';
import { bearer, cookieValue, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import type { TestServer } from '@portcullis/testing/server';
import { codeAt } from '@portcullis/testing/totp';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest();

/** What an authenticator app shows at a moment (computed here with otpauth, not the server's code). */

const ME = '/api/auth/me';

describe('profile: rename and delete one’s own account (not in the contract)', () => {
  test.beforeAll(startApi);

  const post = (server: TestServer, path: string, body?: unknown, headers: Record<string, string> = {}) => request(server.url, 'POST', path, { body, headers });
  const rename = (server: TestServer, accessToken: string | undefined, body: unknown) =>
    request(server.url, 'PATCH', ME, { body, headers: accessToken ? bearer(accessToken) : {} });
  const remove = (server: TestServer, accessToken: string | undefined, body?: unknown, headers: Record<string, string> = {}) =>
    request(server.url, 'DELETE', ME, { body, headers: { ...(accessToken ? bearer(accessToken) : {}), ...headers } });
  const userRow = async (server: TestServer, id: string) =>
    (
      await server.query<{ display_name: string; email: string; role: string; email_verified_at: string | null; password_hash: string | null }>(
        `select * from users where id = '${id}'`,
      )
    )[0];

  async function mfaUser(server: TestServer) {
    const person = await registerUser(server.url);
    const setup = await post(server, '/api/auth/mfa/totp/setup', undefined, bearer(person.accessToken));
    const enabledAt = Date.now();
    const enable = await post(server, '/api/auth/mfa/totp/enable', { code: codeAt(setup.body.secret, enabledAt) }, bearer(person.accessToken));
    expect(enable.status).toBe(200);
    return { ...person, secret: setup.body.secret as string, codes: enable.body.recoveryCodes as string[], enabledAt };
  }

  test('renames: the new name is in the answer, /me and /session; audited without the values', async ({ server }) => {
    const ada = await registerUser(server.url, { displayName: 'Ada' });
    const res = await rename(server, ada.accessToken, { displayName: '  Ada Lovelace <b>&</b>  ' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.user).toEqual({ ...ada.user, displayName: 'Ada Lovelace <b>&</b>' });

    expect((await request(server.url, 'GET', ME, { headers: bearer(ada.accessToken) })).body.user.displayName).toBe('Ada Lovelace <b>&</b>');
    const cookie = `portcullis_session=${findCookie(ada.cookies, 'portcullis_session')!.value}`;
    expect((await request(server.url, 'GET', '/api/auth/session', { headers: { cookie } })).body.user.displayName).toBe('Ada Lovelace <b>&</b>');
    expect((await userRow(server, ada.user.id))!.display_name).toBe('Ada Lovelace <b>&</b>');

    const events = await server.query<{ details: unknown; actor_id: string }>(
      `select details, actor_id from audit_events where user_id = '${ada.user.id}' and type = 'user.updated'`,
    );
    expect(events).toEqual([{ details: { fields: ['displayName'] }, actor_id: ada.user.id }]);
    expect(JSON.stringify(events)).not.toContain('Lovelace');
  });

  test('refuses a bad name, any other field and a missing bearer; nothing changes', async ({ server }) => {
    const bob = await registerUser(server.url, { displayName: 'Bob' });
    const before = await userRow(server, bob.user.id);
    for (const body of [
      {},
      { displayName: '' },
      { displayName: '   ' },
      { displayName: 'x'.repeat(101) },
      { displayName: 'Bob\u0007' },
      { displayName: 'Bob\nSmith' },
      { displayName: 42 },
    ]) {
      const res = await rename(server, bob.accessToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    // Mass assignment: only displayName may be sent, and not even it alongside anything else.
    for (const extra of [
      { role: 'admin' },
      { email: 'mallory@example.com' },
      { emailVerified: true },
      { id: '00000000-0000-4000-8000-000000000000' },
      { passwordHash: 'x' },
      { mfaEnabled: false },
    ]) {
      const res = await rename(server, bob.accessToken, { displayName: 'Mallory', ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect((await rename(server, bob.accessToken, extra)).status).toBe(400);
    }
    expect(await userRow(server, bob.user.id)).toEqual(before);
    expect(before).toMatchObject({ display_name: 'Bob', role: 'user', email_verified_at: null });
    expect(await server.query(`select 1 from audit_events where user_id = '${bob.user.id}' and type = 'user.updated'`)).toHaveLength(0);

    expect((await rename(server, undefined, { displayName: 'Nobody' })).status).toBe(401);
    expect((await rename(server, 'not-a-token', { displayName: 'Nobody' })).status).toBe(401);
    expect((await remove(server, undefined, { password: STRONG_PASSWORD })).status).toBe(401);
  });

  test('delete: a missing or wrong password is refused and nothing is deleted', async ({ server }) => {
    const carol = await registerUser(server.url);
    const missing = await remove(server, carol.accessToken, {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ field: 'password', message: expect.any(String) }]);
    const wrong = await remove(server, carol.accessToken, { password: 'Wrong-Horse-1' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    // Recorded as the failed authentication it is, not as an MFA event.
    const events = await server.query<{ type: string; details: Record<string, unknown> }>(
      `select type, details from audit_events where user_id = '${carol.user.id}' and details->>'stage' = 'delete_account'`,
    );
    expect(events).toEqual([{ type: 'login.failed', details: { stage: 'delete_account', reason: 'wrong_password' } }]);
    expect((await remove(server, carol.accessToken, { password: STRONG_PASSWORD, role: 'admin' })).status).toBe(400);
    expect(await userRow(server, carol.user.id)).toBeDefined();
    expect((await request(server.url, 'GET', ME, { headers: bearer(carol.accessToken) })).status).toBe(200);
  });

  test('delete with the right password: 204, cookies cleared, user, sessions and projects gone, tokens refused, audited, mailed', async ({ server }) => {
    const dave = await registerUser(server.url, { displayName: 'Dave' });
    const second = await post(server, '/api/auth/login', { email: dave.email, password: STRONG_PASSWORD });
    const project = await post(server, '/api/projects', { name: 'Doomed' }, bearer(dave.accessToken));
    expect(project.status).toBe(201);

    const res = await remove(server, dave.accessToken, { password: STRONG_PASSWORD });
    expect(res.status).toBe(204);
    for (const name of ['refresh_token', 'portcullis_session']) expect(findCookie(res.cookies, name)?.attributes['max-age']).toBe('0');

    expect(await userRow(server, dave.user.id)).toBeUndefined();
    expect(await server.query(`select 1 from sessions where user_id = '${dave.user.id}'`)).toHaveLength(0);
    expect(await server.query(`select 1 from projects where owner_id = '${dave.user.id}'`)).toHaveLength(0);
    for (const token of [dave.accessToken, second.body.accessToken as string]) {
      const me = await request(server.url, 'GET', ME, { headers: bearer(token) });
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('INVALID_TOKEN');
    }
    const refreshed = await post(server, '/api/auth/refresh', undefined, { cookie: `refresh_token=${dave.refreshToken}` });
    expect(refreshed.status).toBe(401);
    expect((await post(server, '/api/auth/login', { email: dave.email, password: STRONG_PASSWORD })).status).toBe(401);

    const events = await server.query<{ actor_id: string; details: Record<string, unknown> }>(
      `select actor_id, details from audit_events where user_id = '${dave.user.id}' and type = 'user.deleted'`,
    );
    expect(events).toEqual([{ actor_id: dave.user.id, details: { email: dave.email, role: 'user', projects: 1, sessions: 2, via: 'self' } }]);
    const mail = (await storedMail(server, dave.email)).filter((m) => m.subject.includes('deleted'));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(dave.email);
  });

  test('MFA on: needs a code too; a wrong or replayed one is refused; a right code or a recovery code deletes', async ({ server }) => {
    const erin = await mfaUser(server);
    const passwordOnly = await remove(server, erin.accessToken, { password: STRONG_PASSWORD });
    expect(passwordOnly.status).toBe(400);
    expect(passwordOnly.body.error.details).toEqual([{ field: 'code', message: expect.any(String) }]);
    const wrong = await remove(server, erin.accessToken, { password: STRONG_PASSWORD, code: codeAt(erin.secret, Date.now() + 10 * 60_000) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('INVALID_MFA_CODE');
    // The code that turned MFA on is spent.
    const replayed = await remove(server, erin.accessToken, { password: STRONG_PASSWORD, code: codeAt(erin.secret, erin.enabledAt) });
    expect(replayed.status).toBe(400);
    expect(replayed.body.error.code).toBe('INVALID_MFA_CODE');
    const badPassword = await remove(server, erin.accessToken, { password: 'Wrong-Horse-1', code: codeAt(erin.secret, erin.enabledAt + 30_000) });
    expect(badPassword.status).toBe(401);
    expect((await remove(server, erin.accessToken, { password: STRONG_PASSWORD, code: '123456', recoveryCode: erin.codes[0] })).status).toBe(400);
    expect(await userRow(server, erin.user.id)).toBeDefined();

    const code = codeAt(erin.secret, erin.enabledAt + 30_000);
    expect((await remove(server, erin.accessToken, { password: STRONG_PASSWORD, code })).status).toBe(204);
    expect(await userRow(server, erin.user.id)).toBeUndefined();
    expect(await server.query(`select 1 from totp_credentials where user_id = '${erin.user.id}'`)).toHaveLength(0);

    const frank = await mfaUser(server);
    expect((await remove(server, frank.accessToken, { password: STRONG_PASSWORD, recoveryCode: 'aaaa-aaaa-aaaa-aaaa-aaaa-aaaa' })).status).toBe(400);
    expect((await remove(server, frank.accessToken, { password: STRONG_PASSWORD, recoveryCode: frank.codes[3]!.toUpperCase() })).status).toBe(204);
    expect(await userRow(server, frank.user.id)).toBeUndefined();
  });

  test('the last admin cannot delete themself (409, nothing spent); with a second admin they can', async ({ server }) => {
    const root = await mfaUser(server);
    await server.query(`update users set role = 'admin' where id = '${root.user.id}'`);
    const code = codeAt(root.secret, root.enabledAt + 30_000);
    const res = await remove(server, root.accessToken, { password: STRONG_PASSWORD, code });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('LAST_ADMIN');
    expect((await userRow(server, root.user.id))!.role).toBe('admin');
    expect((await request(server.url, 'GET', ME, { headers: bearer(root.accessToken) })).status).toBe(200);

    const other = await registerUser(server.url);
    await server.query(`update users set role = 'admin' where id = '${other.user.id}'`);
    // The code was not spent by the refusal: the transaction rolled back.
    expect((await remove(server, root.accessToken, { password: STRONG_PASSWORD, code })).status).toBe(204);
    expect(await server.query(`select 1 from users where role = 'admin'`)).toHaveLength(1);
  });

  test('self-service is narrow: it never lets someone delete another account', async ({ server }) => {
    const [grace, heidi] = [await registerUser(server.url), await registerUser(server.url)];
    await expect(deleteUser(server.ctx, heidi.user.id, { actorId: grace.user.id, self: true })).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await expect(deleteUser(server.ctx, heidi.user.id, { actorId: heidi.user.id })).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await userRow(server, heidi.user.id)).toBeDefined();
    // The admin endpoint is unchanged: a user may not call it on themself.
    expect((await request(server.url, 'DELETE', `/api/admin/users/${grace.user.id}`, { headers: bearer(grace.accessToken) })).status).toBe(403);
  });

  test('an account without a password proves itself by a sign-in of the last 10 minutes', async ({ server }) => {
    const ivan = await registerUser(server.url);
    await server.query(`update users set password_hash = null where id = '${ivan.user.id}'`);
    await server.query(`update sessions set created_at = now() - interval '11 minutes' where user_id = '${ivan.user.id}'`);
    const stale = await remove(server, ivan.accessToken, {});
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(stale.body.error.details).toEqual([{ field: 'session', message: expect.stringMatching(/sign in again/i) }]);
    // A refresh renews the token, not the sign-in.
    const refreshed = await post(server, '/api/auth/refresh', undefined, { cookie: `refresh_token=${ivan.refreshToken}` });
    expect(refreshed.status).toBe(200);
    expect((await remove(server, refreshed.body.accessToken, {})).status).toBe(401);
    expect(await userRow(server, ivan.user.id)).toBeDefined();

    // A fresh sign-in (here: a new session, as an OAuth callback makes) is enough; a password sent is ignored.
    await server.query(`update sessions set created_at = now() where user_id = '${ivan.user.id}'`);
    const fresh = await remove(server, refreshed.body.accessToken, { password: 'anything' });
    expect(fresh.status).toBe(204);
    expect(await userRow(server, ivan.user.id)).toBeUndefined();
    expect(cookieValue(fresh.cookies, 'refresh_token')).toBe('');
  });

  test('wrong passwords count against the login limits: the sixth attempt in a row is 429', async ({ server }) => {
    const judy = await registerUser(server.url);
    for (let i = 0; i < 5; i++) expect((await remove(server, judy.accessToken, { password: `Wrong-Horse-${i}` })).status).toBe(401);
    const limited = await remove(server, judy.accessToken, { password: STRONG_PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(await userRow(server, judy.user.id)).toBeDefined();
  });

  test('is described in the OpenAPI document as not in the contract', async ({ server }) => {
    const doc = (await request(server.url, 'GET', '/api/openapi.json')).body;
    expect(doc.paths[ME].get).toBeDefined();
    expect(doc.paths[ME].patch.description).toMatch(/not in the contract/i);
    expect(doc.paths[ME].delete.description).toMatch(/not in the contract/i);
  });
});
