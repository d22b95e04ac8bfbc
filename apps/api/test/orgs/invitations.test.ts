import { describe, expect } from 'vitest';
import { accessEnv, newUser } from '@portcullis/testing/access';
import { registerUser, request, uniqueEmail } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { storedMail } from '@portcullis/testing/mail';
import { addMember, as, createOrg, invitationToken, invite } from '@portcullis/testing/orgs';
import { ORG_LIMITS } from '@portcullis/contract';

const test = apiTest(accessEnv());

/** Invitations (issue 16): by email, single use, 7 days, for the invited address only, revoke, resend, limits. */

describe('organization invitations', () => {
  test.beforeAll(startApi);

  test('an invitation mails a single-use link the invited address accepts once', async ({ server }) => {
    const [owner, bob] = await Promise.all([newUser(server.url, 'Owner'), newUser(server.url, 'Bob')]);
    const org = await createOrg(server.url, owner, 'Invite & Co');
    const { id, token } = await invite(server, owner, org.id, bob.email.toUpperCase(), 'admin');
    const [mail] = await storedMail(server, bob.email.toUpperCase());
    expect(mail?.subject).toContain('Invite & Co');
    expect(mail?.text).toContain('/orgs/invitations/accept?token=');

    const pending = await request(server.url, 'GET', `/api/orgs/${org.id}/invitations`, as(owner));
    expect(pending.body.invitations).toEqual([expect.objectContaining({ id, role: 'admin', invitedBy: owner.id })]);

    const preview = await request(server.url, 'POST', '/api/orgs/invitations/preview', { body: { token } });
    expect(preview.status).toBe(200);
    expect(preview.body.invitation).toMatchObject({ organization: { id: org.id, name: 'Invite & Co' }, role: 'admin' });

    const accepted = await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token }, ...as(bob) });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ role: 'admin', memberCount: 2, organization: { id: org.id } });

    // Replay: refused, and the preview no longer answers.
    const replay = await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token }, ...as(bob) });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('INVALID_TOKEN');
    expect((await request(server.url, 'POST', '/api/orgs/invitations/preview', { body: { token } })).status).toBe(400);
    expect((await request(server.url, 'GET', `/api/orgs/${org.id}/invitations`, as(owner))).body.invitations).toEqual([]);
    // Already a member: a new invitation is refused.
    expect((await request(server.url, 'POST', `/api/orgs/${org.id}/invitations`, { body: { email: bob.email, role: 'member' }, ...as(owner) })).status).toBe(
      409,
    );
  });

  test('another account cannot accept it; the invited one still can', async ({ server }) => {
    const [owner, bob, mallory] = await Promise.all(['Owner', 'Bob', 'Mallory'].map((n) => newUser(server.url, n)));
    const org = await createOrg(server.url, owner!);
    const { token } = await invite(server, owner!, org.id, bob!.email);
    const stolen = await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token }, ...as(mallory!) });
    expect(stolen.status).toBe(403);
    expect((await request(server.url, 'GET', `/api/orgs/${org.id}`, as(mallory!))).status).toBe(404);
    expect((await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token }, ...as(bob!) })).status).toBe(200);
    // No token, a malformed one, an unknown one.
    expect((await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token: 'short' }, ...as(bob!) })).status).toBe(400);
    expect((await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token: 'A'.repeat(43) }, ...as(bob!) })).status).toBe(400);
    expect((await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token } })).status).toBe(401);
  });

  test('someone without an account signs up from the link with the invited address, then accepts', async ({ server }) => {
    const owner = await newUser(server.url, 'Owner');
    const org = await createOrg(server.url, owner);
    const email = uniqueEmail('newcomer');
    const { token } = await invite(server, owner, org.id, email);
    expect((await request(server.url, 'POST', '/api/orgs/invitations/preview', { body: { token } })).body.invitation.email).toBe(email);
    const registered = await registerUser(server.url, { email, displayName: 'Newcomer' });
    const accepted = await request(server.url, 'POST', '/api/orgs/invitations/accept', {
      body: { token },
      headers: { authorization: `Bearer ${registered.accessToken}` },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.role).toBe('member');
  });

  test('an expired invitation is refused', async ({ server }) => {
    const [owner, bob] = await Promise.all([newUser(server.url, 'Owner'), newUser(server.url, 'Bob')]);
    const org = await createOrg(server.url, owner);
    const { id, token } = await invite(server, owner, org.id, bob.email);
    // Its 7 days are over: moved back in the database rather than waited for.
    await server.query(`update organization_invitations set created_at = now() - interval '8 days', expires_at = now() - interval '1 day' where id = '${id}'`);
    expect((await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token }, ...as(bob) })).status).toBe(400);
    expect((await request(server.url, 'GET', `/api/orgs/${org.id}/invitations`, as(owner))).body.invitations).toEqual([]);
    // It expires after 7 days (within a minute of now).
    const fresh = await invite(server, owner, org.id, bob.email);
    const [row] = await server.query<{ days: number }>(
      `select extract(epoch from expires_at - created_at) / 86400 as days from organization_invitations where id = '${fresh.id}'`,
    );
    expect(Number(row?.days)).toBeCloseTo(7, 2);
  });

  test('roles: never above the inviter; members do not invite', async ({ server }) => {
    const [owner, admin, member] = await Promise.all(['Owner', 'Admin', 'Member'].map((n) => newUser(server.url, n)));
    const org = await createOrg(server.url, owner!);
    await addMember(server, owner!, org.id, admin!, 'admin');
    await addMember(server, owner!, org.id, member!, 'member');
    const post = (who: typeof owner, role: string) =>
      request(server.url, 'POST', `/api/orgs/${org.id}/invitations`, { body: { email: uniqueEmail('invitee'), role }, ...as(who!) });
    expect((await post(admin, 'owner')).status).toBe(403);
    expect((await post(admin, 'admin')).status).toBe(201);
    expect((await post(member, 'member')).status).toBe(403);
    expect((await post(owner, 'owner')).status).toBe(201);
    expect((await post(owner, 'superuser')).status).toBe(400);
    expect((await request(server.url, 'GET', `/api/orgs/${org.id}/invitations`, as(member!))).status).toBe(403);
  });

  test('revoke and resend: the old link stops working', async ({ server }) => {
    const [owner, bob] = await Promise.all([newUser(server.url, 'Owner'), newUser(server.url, 'Bob')]);
    const org = await createOrg(server.url, owner);
    const first = await invite(server, owner, org.id, bob.email);
    const resent = await request(server.url, 'POST', `/api/orgs/${org.id}/invitations/${first.id}/resend`, as(owner));
    expect(resent.status).toBe(200);
    const second = await invitationToken(server, bob.email);
    expect(second).not.toBe(first.token);
    expect((await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token: first.token }, ...as(bob) })).status).toBe(400);

    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}/invitations/${resent.body.invitation.id}`, as(owner))).status).toBe(204);
    expect((await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token: second }, ...as(bob) })).status).toBe(400);
    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}/invitations/${resent.body.invitation.id}`, as(owner))).status).toBe(404);
    const types = (
      await server.query<{ type: string }>(`select type from audit_events where details->>'organizationId' = '${org.id}' order by created_at`)
    ).map((r) => r.type);
    expect(types).toEqual(['org.created', 'org.invitation_created', 'org.invitation_resent', 'org.invitation_revoked']);
  });

  test('limits: invitations per person per day, pending invitations per organization', async ({ server }) => {
    const owner = await newUser(server.url, 'Owner');
    const org = await createOrg(server.url, owner);
    const post = () => request(server.url, 'POST', `/api/orgs/${org.id}/invitations`, { body: { email: uniqueEmail('many'), role: 'member' }, ...as(owner) });
    for (let i = 0; i < ORG_LIMITS.invitationsPerInviterPerDay; i++) expect((await post()).status).toBe(201);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    // A day later the inviter may again, until the organization has its maximum pending.
    await server.query(`update organization_invitations set created_at = now() - interval '25 hours' where organization_id = '${org.id}'`);
    const remaining = ORG_LIMITS.pendingInvitationsPerOrg - ORG_LIMITS.invitationsPerInviterPerDay;
    for (let i = 0; i < remaining; i++) expect((await post()).status).toBe(201);
    await server.query(`update organization_invitations set created_at = now() - interval '25 hours' where organization_id = '${org.id}'`);
    expect((await post()).status).toBe(429);
  });

  test('inviting re-authenticates on a stale session (a stolen token cannot invite its thief) and is mailed to the inviter', async ({ server }) => {
    const owner = await newUser(server.url, 'Stale Owner');
    const org = await createOrg(server.url, owner, 'Stale & Co');
    const sid = JSON.parse(Buffer.from(owner.accessToken.split('.')[1]!, 'base64url').toString('utf8')).sid as string;
    await server.query(`update sessions set created_at = now() - interval '11 minutes' where id = '${sid}'`);
    const thief = uniqueEmail('org-thief');
    const send = (body: Record<string, unknown>) => request(server.url, 'POST', `/api/orgs/${org.id}/invitations`, { body, ...as(owner) });

    const refused = await send({ email: thief, role: 'admin' });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(refused.body.error.details.map((d: { field: string }) => d.field)).toEqual(['password']);
    expect((await send({ email: thief, role: 'admin', password: 'Not-The-Password-1' })).status).toBe(401);
    expect(await storedMail(server, thief)).toEqual([]);
    expect(await server.query(`select 1 from organization_invitations where email = '${thief}'`)).toHaveLength(0);

    const colleague = uniqueEmail('org-colleague');
    expect((await send({ email: colleague, role: 'member', password: owner.password })).status).toBe(201);
    const notices = (await storedMail(server, owner.email)).map((m) => m.subject);
    expect(notices).toContain('An invitation to your organization was sent from your account');

    // Someone who may not invite is told so (404 for a stranger) before any password is asked.
    const stranger = await newUser(server.url, 'Stranger');
    const byStranger = await request(server.url, 'POST', `/api/orgs/${org.id}/invitations`, { body: { email: thief, role: 'member' }, ...as(stranger) });
    expect(byStranger.status).toBe(404);
  });
});
