import { describe, expect } from 'vitest';
import { accessEnv, ADMIN_PASSWORD, loginAdmin, newUser, personWithRole, type Person } from '@portcullis/testing/access';
import { bearer, request, uniqueEmail } from '@portcullis/testing/http';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest(accessEnv());

/**
 * The admin console's read side (issue 13; not in the contract): users with status columns, one
 * user's picture, the audit log with people named and filtered by person and time, and its CSV
 * export. Changes (lock, invite…): admin-lock-invite.test.ts.
 */

const as = (who: Person) => ({ headers: bearer(who.accessToken) });

describe('users with their status', () => {
  test('list: status columns, the admin count, search and the locked and invited filters', async ({ server }) => {
    const admin = await loginAdmin(server.url);
    const vera = await newUser(server.url, 'Vera Status');
    await request(server.url, 'POST', `/api/admin/users/${vera.id}/lock`, { body: { reason: 'Testing' }, ...as(admin) });
    const invitedEmail = uniqueEmail('status-invite');
    await request(server.url, 'POST', '/api/admin/users', { body: { email: invitedEmail, displayName: 'Ivo Status', password: ADMIN_PASSWORD }, ...as(admin) });

    const all = await request(server.url, 'GET', '/api/admin/accounts?query=status', as(admin));
    expect(all.status).toBe(200);
    expect(all.body.adminCount).toBe(1);
    expect(all.body.total).toBe(2);
    const byName = Object.fromEntries(all.body.users.map((u: { displayName: string }) => [u.displayName, u]));
    expect(byName['Vera Status']).toMatchObject({ signInMethods: ['password'], lockedReason: 'Testing', emailVerified: false, mfaEnabled: false });
    expect(byName['Vera Status'].lastSignInAt).toBeTypeOf('string');
    expect(byName['Ivo Status']).toMatchObject({ signInMethods: [], lockedAt: null, lastSignInAt: null });

    const locked = await request(server.url, 'GET', '/api/admin/accounts?status=locked&query=status', as(admin));
    expect(locked.body.users.map((u: { id: string }) => u.id)).toEqual([vera.id]);
    const invited = await request(server.url, 'GET', '/api/admin/accounts?status=invited&query=status', as(admin));
    expect(invited.body.users.map((u: { email: string }) => u.email)).toEqual([invitedEmail]);
    expect((await request(server.url, 'GET', '/api/admin/accounts?status=nope', as(admin))).status).toBe(400);

    // One user's picture: sessions, providers, recent activity with people named.
    const one = await request(server.url, 'GET', `/api/admin/accounts/${vera.id}`, as(admin));
    expect(one.status).toBe(200);
    expect(one.body.user.id).toBe(vera.id);
    expect(one.body.sessions).toEqual([]);
    expect(one.body.identities).toEqual([]);
    expect(one.body.recentEvents[0]).toMatchObject({ type: 'user.locked', actor: { id: admin.id }, user: { id: vera.id, displayName: 'Vera Status' } });
    expect((await request(server.url, 'GET', '/api/admin/accounts/00000000-0000-4000-8000-000000000000', as(admin))).status).toBe(404);

    const moderator = await personWithRole(server.url, admin, 'moderator');
    expect((await request(server.url, 'GET', '/api/admin/accounts', as(moderator))).status).toBe(403);
    expect((await request(server.url, 'GET', '/api/admin/audit-log', as(moderator))).status).toBe(403);
    expect((await request(server.url, 'GET', '/api/admin/audit-log/export', as(moderator))).status).toBe(403);
  });
});

describe('the audit log', () => {
  test('filters by a person (name or email, as subject or actor), type and time range; names people', async ({ server }) => {
    const admin = await loginAdmin(server.url);
    const zoe = await newUser(server.url, 'Zoe Audit');
    await request(server.url, 'POST', `/api/admin/users/${zoe.id}/lock`, { body: { reason: 'r' }, ...as(admin) });

    const byName = await request(server.url, 'GET', '/api/admin/audit-log?person=zoe%20aud', as(admin));
    expect(byName.status).toBe(200);
    const types = byName.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['user.registered', 'user.locked']));
    expect(byName.body.events.every((e: { userId: string }) => e.userId === zoe.id)).toBe(true);

    // The admin as a person: events they did (actor) are found too.
    const byActor = await request(server.url, 'GET', `/api/admin/audit-log?person=${encodeURIComponent(admin.email)}&type=user.locked`, as(admin));
    expect(byActor.body.events.map((e: { userId: string }) => e.userId)).toContain(zoe.id);

    // `%` is literal, not a wildcard.
    expect((await request(server.url, 'GET', '/api/admin/audit-log?person=%25', as(admin))).body.total).toBe(0);

    // Time range: move one event into the past, then select around it.
    await server.query(`update audit_events set created_at = '2020-01-02T12:00:00Z' where user_id = '${zoe.id}' and type = 'user.registered'`);
    const range = await request(server.url, 'GET', `/api/admin/audit-log?person=zoe&from=2020-01-02T00:00:00Z&to=2020-01-03T00:00:00Z`, as(admin));
    expect(range.body.events.map((e: { type: string }) => e.type)).toEqual(['user.registered']);
    const after = await request(server.url, 'GET', `/api/admin/audit-log?person=zoe&from=2020-01-03T00:00:00Z`, as(admin));
    expect(after.body.events.map((e: { type: string }) => e.type)).not.toContain('user.registered');
    const bad = await request(server.url, 'GET', '/api/admin/audit-log?from=yesterday', as(admin));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('from');

    // A deleted user's events stay, without a name.
    await request(server.url, 'DELETE', `/api/admin/users/${zoe.id}`, as(admin));
    const orphan = await request(server.url, 'GET', `/api/admin/audit-log?userId=${zoe.id}&type=user.locked`, as(admin));
    expect(orphan.body.events[0]).toMatchObject({ userId: zoe.id, user: null, actor: { id: admin.id } });
  });

  test('CSV export: every matching event once across batches, newest first, formulas defused', async ({ server }) => {
    const admin = await loginAdmin(server.url);
    const eve = await newUser(server.url, '=HYPERLINK("x") Eve');
    // 1,234 events about Eve: more than two export batches of 500.
    await server.query(
      `insert into audit_events (type, user_id, actor_id, details, created_at)
       select 'user.updated', '${eve.id}', '${eve.id}', jsonb_build_object('n', g), now() - (g || ' seconds')::interval from generate_series(1, 1234) g`,
    );
    const res = await fetch(`${server.url}/api/admin/audit-log/export?userId=${eve.id}&type=user.updated`, as(admin));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,type,user_email,user_name,user_id,actor_email,actor_name,actor_id,ip,user_agent,details');
    expect(lines).toHaveLength(1 + 1234);
    const numbers = lines.slice(1).map((l) => Number(/""n"":(\d+)/.exec(l)?.[1]));
    expect(numbers).toEqual(Array.from({ length: 1234 }, (_, i) => i + 1));
    // The display name begins with `=`: exported with a leading apostrophe, quoted for its quotes.
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"") Eve"`);

    const none = await fetch(`${server.url}/api/admin/audit-log/export?type=no.such_type`, as(admin));
    expect((await none.text()).split('\r\n').filter(Boolean)).toHaveLength(1);
  });
});
