import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createProject, login, loginAdmin, newUser, refresh, startAccessServer, type Person } from '@portcullis/testing/access';
import { bearer, cookieValue, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { codeAt } from '@portcullis/testing/totp';

/**
 * ADMIN_REQUIRE_MFA (ASVS 4.3.1): admin features need a session signed in with a second factor.
 * Sessions remember how they were signed in (`amr`), and their access tokens carry it.
 */

const MESSAGE = 'Sign in with two-step verification to use admin features.';
const amrOf = (token: string) => decodeJwt(token).amr;

describe('ADMIN_REQUIRE_MFA=true', () => {
  let server: TestServer;
  let secret: string;
  let recoveryCodes: string[];

  /** Password, then the MFA step: a TOTP code (of the next window: the current one went to enabling) or a recovery code. */
  async function loginWithMfa(second: { code: string } | { recoveryCode: string }): Promise<Person> {
    const first = await request(server.url, 'POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    expect(first.body.mfaRequired).toBe(true);
    const res = await request(server.url, 'POST', '/api/auth/login/mfa', {
      body: { mfaToken: first.body.mfaToken, ...second },
      headers: { 'x-token-transport': 'body' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { id: res.body.user.id, email: ADMIN_EMAIL, password: ADMIN_PASSWORD, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
  }

  const usersList = (p: Person) => request(server.url, 'GET', '/api/admin/users', { headers: bearer(p.accessToken) });
  const rotate = (p: Person) => request(server.url, 'POST', '/api/admin/keys/rotate', { headers: bearer(p.accessToken) });

  beforeAll(async () => {
    server = await startAccessServer({ ADMIN_REQUIRE_MFA: 'true' });
  });
  afterAll(() => server?.close());

  it('refuses an admin signed in with a password only, with the error shape of the contract', async () => {
    const admin = await loginAdmin(server.url);
    expect(amrOf(admin.accessToken)).toEqual(['pwd']);
    for (const res of [await usersList(admin), await rotate(admin)]) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: MESSAGE }, requestId: expect.any(String) });
    }
    // Only manage_users needs the second factor: the moderator's permissions stay.
    expect((await request(server.url, 'GET', '/api/projects?all=true', { headers: bearer(admin.accessToken) })).status).toBe(200);
    // Still an admin: GET /api/auth/session tells the web app why.
    const cookieLogin = await request(server.url, 'POST', '/api/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    const sessionCookie = cookieValue(cookieLogin.cookies, 'portcullis_session');
    const session = await request(server.url, 'GET', '/api/auth/session', { headers: { cookie: `portcullis_session=${sessionCookie}` } });
    expect(session.body).toMatchObject({ user: { role: 'admin' }, session: { amr: ['pwd'] }, adminRequiresMfa: true });
  });

  it('lets the same admin in after turning on TOTP and signing in with password and code; a refresh keeps it', async () => {
    const admin = await loginAdmin(server.url);
    const setup = await request(server.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(admin.accessToken) });
    secret = setup.body.secret;
    const enable = await request(server.url, 'POST', '/api/auth/mfa/totp/enable', {
      body: { code: codeAt(secret, Date.now()) },
      headers: bearer(admin.accessToken),
    });
    expect(enable.status).toBe(200);
    recoveryCodes = enable.body.recoveryCodes;

    const withMfa = await loginWithMfa({ code: codeAt(secret, Date.now() + 30_000) });
    expect(amrOf(withMfa.accessToken)).toEqual(['pwd', 'otp', 'mfa']);
    expect((await usersList(withMfa)).status).toBe(200);
    expect((await rotate(withMfa)).status).toBe(200);
    const [row] = await server.query<{ amr: string[] }>(`select amr from sessions where id = '${decodeJwt(withMfa.accessToken).sid}'`);
    expect(row!.amr).toEqual(['pwd', 'otp', 'mfa']);

    const refreshed = await refresh(server.url, withMfa);
    expect(refreshed.accessToken).not.toBe(withMfa.accessToken);
    expect(amrOf(refreshed.accessToken)).toEqual(['pwd', 'otp', 'mfa']);
    expect((await usersList(refreshed)).status).toBe(200);
  });

  it('counts a recovery code as the second factor', async () => {
    const admin = await loginWithMfa({ recoveryCode: recoveryCodes[0]! });
    expect(amrOf(admin.accessToken)).toEqual(['pwd', 'otp', 'mfa']);
    expect((await usersList(admin)).status).toBe(200);
  });

  it('leaves moderator permissions alone: a password-only moderator lists every project', async () => {
    const admin = await loginWithMfa({ recoveryCode: recoveryCodes[1]! });
    const owner = await newUser(server.url, 'Owner');
    await createProject(server.url, owner, 'Owned elsewhere');
    const mod = await newUser(server.url, 'Mod');
    expect((await request(server.url, 'PATCH', `/api/admin/users/${mod.id}`, { body: { role: 'moderator' }, headers: bearer(admin.accessToken) })).status).toBe(
      200,
    );
    const moderator = await login(server.url, mod.email, STRONG_PASSWORD);
    expect(amrOf(moderator.accessToken)).toEqual(['pwd']);
    const all = await request(server.url, 'GET', '/api/projects?all=true', { headers: bearer(moderator.accessToken) });
    expect(all.status).toBe(200);
    expect(all.body.projects.map((p: { name: string }) => p.name)).toContain('Owned elsewhere');
  });

  it('records a sign-up as a password sign-in', async () => {
    const user = await newUser(server.url);
    expect(amrOf(user.accessToken)).toEqual(['pwd']);
  });
});

describe('ADMIN_REQUIRE_MFA unset (the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startAccessServer();
  });
  afterAll(() => server?.close());

  it('keeps the contract: tokens without amr, a password-only admin in; the session still records amr', async () => {
    const admin = await loginAdmin(server.url);
    expect(Object.keys(decodeJwt(admin.accessToken)).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'role', 'sid', 'sub']);
    expect((await request(server.url, 'GET', '/api/admin/users', { headers: bearer(admin.accessToken) })).status).toBe(200);
    const [row] = await server.query<{ amr: string[] }>(`select amr from sessions where id = '${decodeJwt(admin.accessToken).sid}'`);
    expect(row!.amr).toEqual(['pwd']);
  });
});
