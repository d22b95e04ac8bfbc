import { describe, expect } from 'vitest';
import { accessEnv, ADMIN_PASSWORD, login, loginAdmin, newUser, personWithRole, type Person } from '@portcullis/testing/access';
import { bearer, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest(accessEnv());

/**
 * The admin console's changes (issue 13; not in the contract): lock and unlock an account, invite
 * a user, send a reset link, end one session. Read side and audit log: admin-console.test.ts.
 */

const as = (who: Person) => ({ headers: bearer(who.accessToken) });

describe('lock and unlock', () => {
  let admin: Person;
  test.beforeAll(async ({ server }) => {
    admin = await loginAdmin(server.url);
  });

  const lock = (server: TestServer, who: Person, id: string, reason = 'Suspicious sign-ins') =>
    request(server.url, 'POST', `/api/admin/users/${id}/lock`, { body: { reason }, ...as(who) });

  test('ends every session at once, refuses sign-in and refresh; audited and mailed; unlock lets them back', async ({ server }) => {
    const lea = await newUser(server.url, 'Lea');
    const second = await login(server.url, lea.email, STRONG_PASSWORD);

    const res = await lock(server, admin, lea.id);
    expect(res.status).toBe(200);
    expect(res.body.sessionsRevoked).toBe(2);
    expect(res.body.user).toMatchObject({ id: lea.id, lockedReason: 'Suspicious sign-ins', signInMethods: ['password'] });
    expect(res.body.user.lockedAt).toBeTypeOf('string');

    // Both sessions' access tokens are refused now, and their refresh tokens too.
    expect((await request(server.url, 'GET', '/api/auth/me', as(lea))).status).toBe(401);
    expect((await request(server.url, 'GET', '/api/auth/me', as(second))).status).toBe(401);
    const refreshed = await request(server.url, 'POST', '/api/auth/refresh', {
      body: { refreshToken: second.refreshToken },
      headers: { 'x-token-transport': 'body' },
    });
    expect(refreshed.status).toBe(401);

    // The right password is told the account is locked; a wrong one learns nothing.
    const signIn = await request(server.url, 'POST', '/api/auth/login', { body: { email: lea.email, password: STRONG_PASSWORD } });
    expect(signIn.status).toBe(403);
    expect(signIn.body.error.code).toBe('ACCOUNT_LOCKED');
    const wrong = await request(server.url, 'POST', '/api/auth/login', { body: { email: lea.email, password: 'Not-The-Password-1' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');

    const again = await lock(server, admin, lea.id);
    expect(again.status).toBe(409);

    const mails = await storedMail(server, lea.email);
    const locked = mails.find((m) => m.subject === 'Your account was locked');
    expect(locked?.text).toContain('Suspicious sign-ins');

    const unlocked = await request(server.url, 'POST', `/api/admin/users/${lea.id}/unlock`, { body: {}, ...as(admin) });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.user).toMatchObject({ lockedAt: null, lockedReason: null });
    expect((await storedMail(server, lea.email)).some((m) => m.subject === 'Your account was unlocked')).toBe(true);
    expect((await request(server.url, 'POST', `/api/admin/users/${lea.id}/unlock`, { body: {}, ...as(admin) })).status).toBe(409);

    const back = await login(server.url, lea.email, STRONG_PASSWORD);
    expect((await request(server.url, 'GET', '/api/auth/me', as(back))).status).toBe(200);

    const events = await request(server.url, 'GET', `/api/admin/audit-log?userId=${lea.id}`, as(admin));
    const types = events.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['user.locked', 'user.unlocked']));
    const lockEvent = events.body.events.find((e: { type: string }) => e.type === 'user.locked');
    expect(lockEvent).toMatchObject({ actorId: admin.id, details: { reason: 'Suspicious sign-ins', sessionsRevoked: 2 } });
    expect(lockEvent.actor).toMatchObject({ id: admin.id, email: admin.email });
    const refused = events.body.events.find(
      (e: { type: string; details: { reason?: string } }) => e.type === 'login.failed' && e.details.reason === 'account_locked',
    );
    expect(refused).toBeDefined();
  });

  test('a locked account may reset its password but stays locked: no sign-in, no unlock', async ({ server }) => {
    const kim = await newUser(server.url, 'Kim');
    expect((await lock(server, admin, kim.id)).status).toBe(200);
    // The link as an admin sends it (the forgot-password form sends the same, after answering).
    expect((await request(server.url, 'POST', `/api/admin/users/${kim.id}/password-reset`, { body: {}, ...as(admin) })).status).toBe(202);
    const mail = (await storedMail(server, kim.email)).find((m) => m.subject === 'Reset your password')!;
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const newPassword = 'Another-Horse-42';
    expect((await request(server.url, 'POST', '/api/auth/password/reset', { body: { token, newPassword } })).status).toBe(204);
    // The new password is right, and still the account is told it is locked.
    const signIn = await request(server.url, 'POST', '/api/auth/login', { body: { email: kim.email, password: newPassword } });
    expect(signIn.status).toBe(403);
    expect(signIn.body.error.code).toBe('ACCOUNT_LOCKED');
    const [row] = await server.query<{ locked: boolean }>(`select locked_at is not null as locked from users where id = '${kim.id}'`);
    expect(row!.locked).toBe(true);
  });

  test('a sign-in waiting for its second step cannot finish once locked', async ({ server }) => {
    const mo = await newUser(server.url, 'Mo');
    // A challenge as a password sign-in with MFA would leave it: lock deletes every pending one.
    await server.query(
      `insert into mfa_challenges (user_id, token_hash, expires_at, first_factor) values ('${mo.id}', 'x', now() + interval '5 minutes', 'pwd')`,
    );
    expect((await lock(server, admin, mo.id)).status).toBe(200);
    expect(await server.query(`select 1 from mfa_challenges where user_id = '${mo.id}'`)).toHaveLength(0);
  });

  test("not one's own account, not without a reason, not by a moderator, 404 for unknown ids", async ({ server }) => {
    const self = await lock(server, admin, admin.id);
    expect(self.status).toBe(403);
    const target = await newUser(server.url);
    const empty = await lock(server, admin, target.id, '  ');
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].field).toBe('reason');
    const moderator = await personWithRole(server.url, admin, 'moderator');
    expect((await lock(server, moderator, target.id)).status).toBe(403);
    expect((await lock(server, admin, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await lock(server, admin, 'nope')).status).toBe(404);
  });
});

describe('invitations, reset links and single sessions', () => {
  let admin: Person;
  test.beforeAll(async ({ server }) => {
    admin = await loginAdmin(server.url);
  });

  test('an invited user gets a link, sets a password with it, and signs in; audited', async ({ server }) => {
    const email = uniqueEmail('invited');
    const res = await request(server.url, 'POST', '/api/admin/users', {
      body: { email, displayName: 'Ines', role: 'moderator', password: ADMIN_PASSWORD },
      ...as(admin),
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email, displayName: 'Ines', role: 'moderator', signInMethods: [], lastSignInAt: null, emailVerified: false });

    // No password yet: the sign-in form says what it says for any wrong password.
    expect((await request(server.url, 'POST', '/api/auth/login', { body: { email, password: STRONG_PASSWORD } })).status).toBe(401);

    const [mail] = await storedMail(server, email);
    expect(mail?.subject).toBe('You are invited to Portcullis');
    expect(mail?.text).toContain('expires in 7 days');
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
    // The link lives for days, not the reset's hour.
    const [row] = await server.query<{ hours: number }>(
      `select extract(epoch from expires_at - created_at) / 3600 as hours from one_time_tokens where user_id = '${res.body.user.id}'`,
    );
    expect(Number(row!.hours)).toBeGreaterThan(24 * 6);

    const set = await request(server.url, 'POST', '/api/auth/password/reset', { body: { token, newPassword: STRONG_PASSWORD } });
    expect(set.status).toBe(204);
    const ines = await login(server.url, email, STRONG_PASSWORD);
    const me = await request(server.url, 'GET', '/api/auth/me', as(ines));
    expect(me.body.user).toMatchObject({ role: 'moderator', emailVerified: true });

    const events = await request(server.url, 'GET', `/api/admin/audit-log?type=user.invited&userId=${ines.id}`, as(admin));
    expect(events.body.events).toHaveLength(1);
    expect(events.body.events[0]).toMatchObject({ actorId: admin.id, details: { role: 'moderator' }, user: { email, displayName: 'Ines' } });

    const taken = await request(server.url, 'POST', '/api/admin/users', {
      body: { email: email.toUpperCase(), displayName: 'Twice', password: ADMIN_PASSWORD },
      ...as(admin),
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('EMAIL_TAKEN');
    const bad = await request(server.url, 'POST', '/api/admin/users', { body: { email: 'nope', displayName: '' }, ...as(admin) });
    expect(bad.status).toBe(400);
  });

  test('an admin sends a reset link; ends one session of a user and only that one', async ({ server }) => {
    const ray = await newUser(server.url, 'Ray');
    const other = await login(server.url, ray.email, STRONG_PASSWORD);
    const sent = await request(server.url, 'POST', `/api/admin/users/${ray.id}/password-reset`, { body: {}, ...as(admin) });
    expect(sent.status).toBe(202);
    expect((await storedMail(server, ray.email)).some((m) => m.subject === 'Reset your password' && /token=/.test(m.text))).toBe(true);

    const account = await request(server.url, 'GET', `/api/admin/accounts/${ray.id}`, as(admin));
    expect(account.body.sessions).toHaveLength(2);
    const target: string = account.body.sessions[0].id;
    const gone = await request(server.url, 'DELETE', `/api/admin/users/${ray.id}/sessions/${target}`, as(admin));
    expect(gone.status).toBe(204);
    const left = (await request(server.url, 'GET', `/api/admin/accounts/${ray.id}`, as(admin))).body.sessions;
    expect(left).toHaveLength(1);
    expect(left[0].id).not.toBe(target);
    // The other session still works.
    const alive = [ray, other].map((p) => request(server.url, 'GET', '/api/auth/me', as(p)));
    expect((await Promise.all(alive)).map((r) => r.status).sort()).toEqual([200, 401]);
    expect((await request(server.url, 'DELETE', `/api/admin/users/${ray.id}/sessions/${target}`, as(admin))).status).toBe(404);
    // Another user's session id is not this user's.
    expect((await request(server.url, 'DELETE', `/api/admin/users/${admin.id}/sessions/${account.body.sessions[0].id}`, as(admin))).status).toBe(404);
    const events = await request(server.url, 'GET', `/api/admin/audit-log?userId=${ray.id}`, as(admin));
    const types = events.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['session.revoked', 'password.reset_requested']));
  });
});
