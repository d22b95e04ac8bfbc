import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { accessEnv, login, loginAdmin, newUser, personWithRole, type Person } from '@portcullis/testing/access';
import { bearer, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import { storedMail } from '@portcullis/testing/mail';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest } from '@portcullis/testing/fixtures';

// A provider is configured, so an identity linked at it is a way to sign in.
const test = apiTest(accessEnv({ GITHUB_CLIENT_ID: 'gh-client', GITHUB_CLIENT_SECRET: 'gh-secret' }));

/**
 * The admin console (issue 13; not in the contract): an admin unlinks a user's sign-in provider,
 * and mails a pending invitation again. Lock, invite and reset links: admin-lock-invite.test.ts.
 */

const as = (who: Person) => ({ headers: bearer(who.accessToken) });

/** A linked identity as a sign-in with the provider leaves it (the OAuth dance is oauth/*.test.ts's). */
async function linkIdentity(server: TestServer, userId: string, provider = 'github'): Promise<string> {
  const [row] = await server.query<{ id: string }>(
    `insert into oauth_accounts (user_id, provider, subject, email, email_verified) values ('${userId}', '${provider}', '${randomUUID()}', null, true) returning id`,
  );
  return row!.id;
}

describe('an admin unlinks a provider', () => {
  let admin: Person;
  test.beforeAll(async ({ server }) => {
    admin = await loginAdmin(server.url);
  });

  const unlink = (server: TestServer, who: Person, userId: string, identityId: string) =>
    request(server.url, 'DELETE', `/api/admin/users/${userId}/identities/${identityId}`, as(who));

  test('removes it, audited with the admin as actor, mailed to the holder', async ({ server }) => {
    const uma = await newUser(server.url, 'Uma');
    const identity = await linkIdentity(server, uma.id);
    const before = await request(server.url, 'GET', `/api/admin/accounts/${uma.id}`, as(admin));
    expect(before.body.identities.map((i: { id: string }) => i.id)).toEqual([identity]);
    expect(before.body.user.signInMethods).toEqual(['password', 'github']);

    expect((await unlink(server, admin, uma.id, identity)).status).toBe(204);
    const after = await request(server.url, 'GET', `/api/admin/accounts/${uma.id}`, as(admin));
    expect(after.body.identities).toEqual([]);
    expect(after.body.user.signInMethods).toEqual(['password']);
    // Gone: a second try is a 404, like an identity that never was.
    expect((await unlink(server, admin, uma.id, identity)).status).toBe(404);

    const mails = await storedMail(server, uma.email);
    const notice = mails.find((m) => m.subject === 'GitHub was unlinked from your account');
    expect(notice?.text).toContain('An administrator unlinked');
    const events = await request(server.url, 'GET', `/api/admin/audit-log?userId=${uma.id}&type=oauth.unlinked`, as(admin));
    expect(events.body.events).toHaveLength(1);
    expect(events.body.events[0]).toMatchObject({ actorId: admin.id, details: { provider: 'github', by: 'admin' } });
  });

  test("refuses the last way to sign in, another user's identity, a moderator and unknown ids", async ({ server }) => {
    // An account with only a provider: no password, no passkey.
    const email = uniqueEmail('only-github');
    const invited = await request(server.url, 'POST', '/api/admin/users', { body: { email, displayName: 'Otto' }, ...as(admin) });
    const otto: string = invited.body.user.id;
    const only = await linkIdentity(server, otto);
    const last = await unlink(server, admin, otto, only);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('CONFLICT');
    // A second provider makes the first one removable, but not the one left after that.
    const second = await linkIdentity(server, otto);
    expect((await unlink(server, admin, otto, only)).status).toBe(204);
    expect((await unlink(server, admin, otto, second)).status).toBe(409);

    const other = await newUser(server.url, 'Other');
    expect((await unlink(server, admin, other.id, second)).status).toBe(404);
    const moderator = await personWithRole(server.url, admin, 'moderator');
    expect((await unlink(server, moderator, otto, second)).status).toBe(403);
    expect((await unlink(server, admin, otto, 'nope')).status).toBe(404);
    const [kept] = await server.query<{ n: number }>(`select count(*)::int as n from oauth_accounts where user_id = '${otto}'`);
    expect(Number(kept!.n)).toBe(1);
  });
});

describe('an admin resends an invitation', () => {
  let admin: Person;
  test.beforeAll(async ({ server }) => {
    admin = await loginAdmin(server.url);
  });

  const resend = (server: TestServer, userId: string, who = admin) =>
    request(server.url, 'POST', `/api/admin/users/${userId}/invitation`, { body: {}, ...as(who) });
  const tokenOf = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)![1]!;
  /** Makes the newest link a few minutes old, as a resend a while later would find it. */
  const ageLinks = (server: TestServer, userId: string) =>
    server.query(`update one_time_tokens set created_at = created_at - interval '5 minutes' where user_id = '${userId}'`);

  test('mails a new link, retires the old one, refuses a quick repeat; audited', async ({ server }) => {
    const email = uniqueEmail('reinvited');
    const created = await request(server.url, 'POST', '/api/admin/users', { body: { email, displayName: 'Rita' }, ...as(admin) });
    const rita: string = created.body.user.id;

    // At once after the invitation: refused, with when to try again.
    const quick = await resend(server, rita);
    expect(quick.status).toBe(429);
    expect(quick.body.error.code).toBe('RATE_LIMITED');
    expect(Number(quick.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await storedMail(server, email)).toHaveLength(1);

    await ageLinks(server, rita);
    expect((await resend(server, rita)).status).toBe(202);
    const mails = await storedMail(server, email);
    expect(mails).toHaveLength(2);
    expect(mails.every((m) => m.subject === 'You are invited to Portcullis')).toBe(true);
    const tokens = mails.map((m) => tokenOf(m.text));
    expect(new Set(tokens).size).toBe(2);
    expect((await resend(server, rita)).status).toBe(429);

    // The first link is dead; the new one sets the password.
    const checks = await Promise.all(tokens.map((token) => request(server.url, 'POST', '/api/auth/password/reset/check', { body: { token } })));
    const statuses = checks.map((c) => c.status).sort();
    expect(statuses).toEqual([200, 400]);
    const live = tokens[checks.findIndex((c) => c.status === 200)]!;
    expect((await request(server.url, 'POST', '/api/auth/password/reset', { body: { token: live, newPassword: STRONG_PASSWORD } })).status).toBe(204);
    await login(server.url, email, STRONG_PASSWORD);

    // Accepted: nothing left to resend.
    await ageLinks(server, rita);
    const accepted = await resend(server, rita);
    expect(accepted.status).toBe(409);
    expect(accepted.body.error.code).toBe('CONFLICT');

    const events = await request(server.url, 'GET', `/api/admin/audit-log?userId=${rita}&type=user.invitation_resent`, as(admin));
    expect(events.body.events).toHaveLength(1);
    expect(events.body.events[0]).toMatchObject({ actorId: admin.id });
  });

  test('not for an account that signs in, not by a moderator, 404 for unknown ids', async ({ server }) => {
    const member = await newUser(server.url, 'Member');
    expect((await resend(server, member.id)).status).toBe(409);
    const moderator = await personWithRole(server.url, admin, 'moderator');
    expect((await resend(server, member.id, moderator)).status).toBe(403);
    expect((await resend(server, randomUUID())).status).toBe(404);
  });
});
