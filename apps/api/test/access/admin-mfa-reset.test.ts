import { describe, expect } from 'vitest';
import { loginAdmin, newUser, personWithRole, accessEnv, type Person } from '@portcullis/testing/access';
import { bearer, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { codeAt } from '@portcullis/testing/totp';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest(accessEnv());

/**
 * An admin's reset of a user's second factor (issue 10, item 3; not in the contract): the way back
 * for a holder whose phone is gone, or whose account a thief enrolled with their own authenticator.
 * The CLI's `reset-mfa` is tested in cli.test.ts.
 */

describe('POST /api/admin/users/:id/mfa/reset', () => {
  let admin: Person;
  test.beforeAll(async ({ server }) => {
    admin = await loginAdmin(server.url);
  });

  const reset = (server: TestServer, who: Person, id: string) =>
    request(server.url, 'POST', `/api/admin/users/${id}/mfa/reset`, { headers: bearer(who.accessToken) });
  const row = async (server: TestServer, sqlText: string) => server.query(sqlText);

  async function mfaUser(server: TestServer): Promise<Person> {
    const person = await newUser(server.url, 'Mia');
    const auth = bearer(person.accessToken);
    const setup = await request(server.url, 'POST', '/api/auth/mfa/totp/setup', { headers: auth });
    const enable = await request(server.url, 'POST', '/api/auth/mfa/totp/enable', { body: { code: codeAt(setup.body.secret, Date.now()) }, headers: auth });
    expect(enable.status).toBe(200);
    return person;
  }

  test('deletes the factor and the recovery codes, clears the lock, signs the user out everywhere; audited with the admin as actor and mailed', async ({
    server,
  }) => {
    const mia = await mfaUser(server);
    // A second session, say the thief's, and wrong codes counted against the account.
    const other = await request(server.url, 'POST', '/api/auth/login', { body: { email: mia.email, password: STRONG_PASSWORD } });
    expect(other.body.mfaRequired).toBe(true);
    await server.query(`update users set second_factor_failures = 42 where id = '${mia.id}'`);

    const res = await reset(server, admin, mia.id);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: mia.id, mfaEnabled: false });
    expect(res.body.sessionsRevoked).toBe(1);
    expect(await row(server, `select 1 from totp_credentials where user_id = '${mia.id}'`)).toHaveLength(0);
    expect(await row(server, `select 1 from recovery_codes where user_id = '${mia.id}'`)).toHaveLength(0);
    expect(await row(server, `select 1 from mfa_challenges where user_id = '${mia.id}'`)).toHaveLength(0);
    expect(await row(server, `select 1 from users where id = '${mia.id}' and second_factor_failures = 0`)).toHaveLength(1);
    expect(await row(server, `select 1 from sessions where user_id = '${mia.id}' and revoked_at is null`)).toHaveLength(0);
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(mia.accessToken) })).status).toBe(401);

    const events = await request(server.url, 'GET', `/api/admin/audit-events?userId=${mia.id}&type=mfa.reset`, { headers: bearer(admin.accessToken) });
    expect(events.body.events).toHaveLength(1);
    expect(events.body.events[0]).toMatchObject({
      actorId: admin.id,
      userId: mia.id,
      details: { via: 'api', wasEnabled: true, failuresCleared: 42, sessionsRevoked: 1 },
    });
    expect(
      await row(server, `select 1 from mail_messages where "to" = '${mia.email}' and subject = 'Two-step verification was reset on your account'`),
    ).toHaveLength(1);

    // The holder signs in with the password alone, and can enrol again.
    const back = await request(server.url, 'POST', '/api/auth/login', { body: { email: mia.email, password: STRONG_PASSWORD } });
    expect(back.status).toBe(200);
    expect(back.body.accessToken).toBeTypeOf('string');

    // Nothing left to reset.
    const again = await reset(server, admin, mia.id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
  });

  test('is refused to anyone without manage_users, and for unknown users', async ({ server }) => {
    const nia = await mfaUser(server);
    const user = await newUser(server.url);
    const moderator = await personWithRole(server.url, admin, 'moderator');
    for (const who of [user, moderator, nia]) {
      const res = await reset(server, who, nia.id);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await request(server.url, 'POST', `/api/admin/users/${nia.id}/mfa/reset`)).status).toBe(401);
    expect(await row(server, `select 1 from totp_credentials where user_id = '${nia.id}' and enabled_at is not null`)).toHaveLength(1);
    expect(await row(server, `select 1 from audit_events where user_id = '${nia.id}' and type = 'mfa.reset'`)).toHaveLength(0);
    expect((await reset(server, admin, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await reset(server, admin, 'not-a-uuid')).status).toBe(404);
  });

  test('an admin does not reset their own (that would skip the re-authentication of disable)', async ({ server }) => {
    const res = await reset(server, admin, admin.id);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/your own/);
  });
});
