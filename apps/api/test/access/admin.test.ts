import { describe, expect } from 'vitest';
import { ADMIN_PASSWORD, createProject, login, loginAdmin, newUser, accessEnv, type Person } from '@portcullis/testing/access';
import { bearer, registerUser, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import { USER_KEYS } from '@portcullis/testing/core';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest(accessEnv());

/** The admin API's reads (users, search, pagination, one user) and the audit log of its changes. */

const UA = 'AdminConsole/1.0 (audit test)';

describe('admin API and audit log', () => {
  let admin: Person;
  const as = (p: Person, extra: Record<string, string> = {}) => ({ headers: { ...bearer(p.accessToken), 'user-agent': UA, ...extra } });

  test.beforeAll(async ({ server }) => {
    admin = await loginAdmin(server.url);
  });

  test('searches email and display name case-insensitively, with wildcards taken literally', async ({ server }) => {
    const tag = `zq${Date.now().toString(36)}`;
    await registerUser(server.url, { email: `${tag}.one@example.com`, displayName: 'Plain Name' });
    await registerUser(server.url, { email: uniqueEmail(), displayName: `Grace ${tag.toUpperCase()} Hopper` });
    await registerUser(server.url, { email: uniqueEmail(), displayName: '100% sure_thing' });

    const found = await request(server.url, 'GET', `/api/admin/users?query=${tag.toUpperCase()}`, as(admin));
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(2);
    expect(found.body.users).toHaveLength(2);
    for (const u of found.body.users) expect(Object.keys(u).sort()).toEqual(USER_KEYS);

    // `%` and `_` match themselves only: `%` alone is not "everything".
    const percent = await request(server.url, 'GET', `/api/admin/users?query=${encodeURIComponent('%')}`, as(admin));
    expect(percent.body.users.map((u: { displayName: string }) => u.displayName)).toEqual(['100% sure_thing']);
    const underscore = await request(server.url, 'GET', `/api/admin/users?query=${encodeURIComponent('e_t')}`, as(admin));
    expect(underscore.body.users.map((u: { displayName: string }) => u.displayName)).toEqual(['100% sure_thing']);
    const quote = await request(server.url, 'GET', `/api/admin/users?query=${encodeURIComponent("' or 1=1 --")}`, as(admin));
    expect(quote.status).toBe(200);
    expect(quote.body.total).toBe(0);
  });

  test('paginates users with a total', async ({ server }) => {
    const total = Number((await server.query<{ n: string }>('select count(*) as n from users'))[0]!.n);
    const first = await request(server.url, 'GET', '/api/admin/users?limit=2', as(admin));
    expect(first.body).toMatchObject({ total, page: 1, limit: 2 });
    expect(first.body.users).toHaveLength(2);
    const second = await request(server.url, 'GET', '/api/admin/users?limit=2&page=2', as(admin));
    expect(second.body.users[0].id).not.toBe(first.body.users[0].id);
    const defaults = await request(server.url, 'GET', '/api/admin/users', as(admin));
    expect(defaults.body).toMatchObject({ page: 1, limit: 20 });
    for (const q of ['limit=0', 'limit=101', 'page=0', 'page=x', `query=${'q'.repeat(201)}`]) {
      const res = await request(server.url, 'GET', `/api/admin/users?${q}`, as(admin));
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  test('shows one user with their live sessions and never a secret', async ({ server }) => {
    const frank = await newUser(server.url, 'Frank');
    await login(server.url, frank.email, STRONG_PASSWORD);
    const res = await request(server.url, 'GET', `/api/admin/users/${frank.id}`, as(admin));
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: frank.id, email: frank.email, role: 'user' });
    expect(res.body.sessions).toHaveLength(2);
    expect(Object.keys(res.body.sessions[0]).sort()).toEqual(['createdAt', 'current', 'device', 'expiresAt', 'id', 'ip', 'lastActiveAt', 'userAgent']);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/password|hash|refresh|argon/i);
    expect(text).not.toContain(frank.refreshToken);
  });

  test('audits every admin action with its actor, ip and user agent, and nothing secret', async ({ server }) => {
    const gina = await newUser(server.url, 'Gina');
    await createProject(server.url, gina);
    expect((await request(server.url, 'PATCH', `/api/admin/users/${gina.id}`, { body: { role: 'moderator' }, ...as(admin) })).status).toBe(200);
    expect((await request(server.url, 'POST', `/api/admin/users/${gina.id}/sessions/revoke`, as(admin))).status).toBe(204);
    expect((await request(server.url, 'DELETE', `/api/admin/users/${gina.id}`, as(admin))).status).toBe(204);

    const res = await request(server.url, 'GET', `/api/admin/audit-events?userId=${gina.id}`, as(admin));
    expect(res.status).toBe(200);
    const byType = Object.fromEntries(res.body.events.map((e: { type: string }) => [e.type, e]));
    expect(Object.keys(byType)).toEqual(expect.arrayContaining(['user.deleted', 'user.registered', 'user.role_changed', 'user.sessions_revoked']));
    expect(res.body.total).toBe(res.body.events.length);
    for (const type of ['user.role_changed', 'user.sessions_revoked', 'user.deleted']) {
      const e = byType[type];
      expect(Object.keys(e).sort()).toEqual(['actorId', 'createdAt', 'details', 'id', 'ip', 'type', 'userAgent', 'userId']);
      expect(e).toMatchObject({ userId: gina.id, actorId: admin.id, userAgent: UA });
      expect(e.ip).toMatch(/127\.0\.0\.1$/);
    }
    // A role with more rights names how the admin proved it was them (services/promotion.ts).
    expect(byType['user.role_changed'].details).toEqual({ from: 'user', to: 'moderator', reauthenticatedBy: 'recent_sign_in' });
    expect(byType['user.deleted'].details).toMatchObject({ email: gina.email, role: 'moderator', projects: 1 });
    // Newest first.
    expect(res.body.events[0].type).toBe('user.deleted');

    const all = JSON.stringify((await request(server.url, 'GET', '/api/admin/audit-events?limit=100', as(admin))).body);
    for (const secret of [STRONG_PASSWORD, ADMIN_PASSWORD, gina.refreshToken, gina.accessToken, admin.accessToken]) expect(all).not.toContain(secret);
  });

  test('filters audit events by type and actor, and validates the filters', async ({ server }) => {
    const hank = await newUser(server.url, 'Hank');
    await request(server.url, 'POST', '/api/auth/login', { body: { email: hank.email, password: 'Wrong-password-1!' } });
    const failed = await request(server.url, 'GET', `/api/admin/audit-events?type=login.failed&userId=${hank.id}`, as(admin));
    expect(failed.body.events).toHaveLength(1);
    expect(failed.body.events[0]).toMatchObject({ type: 'login.failed', userId: hank.id });

    const byActor = await request(server.url, 'GET', `/api/admin/audit-events?actorId=${admin.id}&limit=100`, as(admin));
    expect(byActor.body.events.length).toBeGreaterThan(0);
    for (const e of byActor.body.events) expect(e.actorId).toBe(admin.id);

    const paged = await request(server.url, 'GET', '/api/admin/audit-events?limit=1&page=2', as(admin));
    expect(paged.body).toMatchObject({ page: 2, limit: 1 });
    expect(paged.body.events).toHaveLength(1);
    expect(paged.body.total).toBeGreaterThan(2);

    for (const q of ['userId=nope', 'actorId=1', "type=x'%20or%201=1", 'limit=500', 'type=' + 'a'.repeat(65)]) {
      const res = await request(server.url, 'GET', `/api/admin/audit-events?${q}`, as(admin));
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await request(server.url, 'GET', '/api/admin/audit-events?type=no.such.type', as(admin))).body).toMatchObject({ events: [], total: 0 });
  });

  test('a request that failed (LAST_ADMIN) leaves no audit event behind', async ({ server }) => {
    const before = await request(server.url, 'GET', `/api/admin/audit-events?userId=${admin.id}&type=user.role_changed`, as(admin));
    // The bootstrap admin is the only admin of this server.
    const res = await request(server.url, 'PATCH', `/api/admin/users/${admin.id}`, { body: { role: 'user' }, ...as(admin) });
    expect(res.status).toBe(409);
    const after = await request(server.url, 'GET', `/api/admin/audit-events?userId=${admin.id}&type=user.role_changed`, as(admin));
    expect(after.body.total).toBe(before.body.total);
  });
});
