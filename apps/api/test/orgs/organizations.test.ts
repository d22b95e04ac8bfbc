import { decodeJwt } from 'jose';
import { describe, expect } from 'vitest';
import { accessEnv, loginAdmin, newUser, refresh, type Person } from '@portcullis/testing/access';
import { request } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { addMember, as, createOrg, switchOrg, uniqueSlug } from '@portcullis/testing/orgs';

const test = apiTest(accessEnv());

/** Organizations (issue 16): create, rename, delete, members and their roles, the active organization, projects, audit. */

describe('organizations', () => {
  test.beforeAll(startApi);

  test('the creator owns it; the slug is unique; names and slugs are checked', async ({ server }) => {
    const alice = await newUser(server.url, 'Alice');
    const slug = uniqueSlug('acme');
    const created = await request(server.url, 'POST', '/api/orgs', {
      body: { name: ' Acme ', slug: slug.toUpperCase(), logoUrl: 'https://example.com/l.png' },
      ...as(alice),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'owner', memberCount: 1, organization: { name: 'Acme', slug, logoUrl: 'https://example.com/l.png' } });

    const again = await request(server.url, 'POST', '/api/orgs', { body: { name: 'Other', slug }, ...as(alice) });
    expect(again.status).toBe(409);
    expect(again.body.error.details[0].field).toBe('slug');

    for (const [body, field] of [
      [{ name: '', slug: uniqueSlug() }, 'name'],
      [{ name: 'x', slug: 'a' }, 'slug'],
      [{ name: 'x', slug: 'bad slug!' }, 'slug'],
      [{ name: 'x', slug: uniqueSlug(), logoUrl: 'javascript:alert(1)' }, 'logoUrl'],
      [{ name: 'x', slug: uniqueSlug(), logoUrl: 'http://example.com/a.png' }, 'logoUrl'],
      [{ name: 'bad\u202ename', slug: uniqueSlug() }, 'name'],
    ] as const) {
      const res = await request(server.url, 'POST', '/api/orgs', { body, ...as(alice) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const mine = await request(server.url, 'GET', '/api/orgs', as(alice));
    expect(mine.body.organizations.map((m: { organization: { slug: string } }) => m.organization.slug)).toEqual([slug]);
  });

  test('outsiders get 404; members read; only owners rename; admins manage members', async ({ server }) => {
    const [owner, admin, member, outsider] = await Promise.all(['Owner', 'Admin', 'Member', 'Outsider'].map((n) => newUser(server.url, n)));
    const org = await createOrg(server.url, owner!);
    await addMember(server, owner!, org.id, admin!, 'admin');
    await addMember(server, owner!, org.id, member!, 'member');

    expect((await request(server.url, 'GET', `/api/orgs/${org.id}`, as(outsider!))).status).toBe(404);
    expect((await request(server.url, 'GET', `/api/orgs/${org.id}/members`, as(outsider!))).status).toBe(404);
    const seen = await request(server.url, 'GET', `/api/orgs/${org.id}`, as(member!));
    expect(seen.body).toMatchObject({ role: 'member', memberCount: 3 });
    const members = await request(server.url, 'GET', `/api/orgs/${org.id}/members`, as(member!));
    expect(members.body.members.map((m: { role: string }) => m.role)).toEqual(['owner', 'admin', 'member']);

    expect((await request(server.url, 'PATCH', `/api/orgs/${org.id}`, { body: { name: 'X' }, ...as(admin!) })).status).toBe(403);
    expect((await request(server.url, 'PATCH', `/api/orgs/${org.id}`, { body: { name: 'X' }, ...as(member!) })).status).toBe(403);
    const renamed = await request(server.url, 'PATCH', `/api/orgs/${org.id}`, { body: { name: 'Renamed', logoUrl: null }, ...as(owner!) });
    expect(renamed.status).toBe(200);
    expect(renamed.body.organization).toMatchObject({ name: 'Renamed', logoUrl: null });

    // A member manages no one; an admin cannot make anyone an owner, nor touch an owner.
    expect((await request(server.url, 'PATCH', `/api/orgs/${org.id}/members/${admin!.id}`, { body: { role: 'member' }, ...as(member!) })).status).toBe(403);
    expect((await request(server.url, 'PATCH', `/api/orgs/${org.id}/members/${member!.id}`, { body: { role: 'owner' }, ...as(admin!) })).status).toBe(403);
    expect((await request(server.url, 'PATCH', `/api/orgs/${org.id}/members/${owner!.id}`, { body: { role: 'member' }, ...as(admin!) })).status).toBe(403);
    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}/members/${owner!.id}`, as(admin!))).status).toBe(403);
    const promoted = await request(server.url, 'PATCH', `/api/orgs/${org.id}/members/${member!.id}`, { body: { role: 'admin' }, ...as(admin!) });
    expect(promoted.status).toBe(200);
    expect(promoted.body.member).toMatchObject({ userId: member!.id, role: 'admin' });
    expect((await request(server.url, 'PATCH', `/api/orgs/${org.id}/members/${outsider!.id}`, { body: { role: 'member' }, ...as(owner!) })).status).toBe(404);
  });

  test('the last owner cannot leave or be demoted; ownership can be transferred', async ({ server }) => {
    const [owner, other] = await Promise.all([newUser(server.url, 'Owner'), newUser(server.url, 'Other')]);
    const org = await createOrg(server.url, owner);
    await addMember(server, owner, org.id, other, 'member');

    const demote = await request(server.url, 'PATCH', `/api/orgs/${org.id}/members/${owner.id}`, { body: { role: 'admin' }, ...as(owner) });
    expect(demote.status).toBe(409);
    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}/members/${owner.id}`, as(owner))).status).toBe(409);

    // Transfer needs the password; a member cannot transfer.
    expect(
      (await request(server.url, 'POST', `/api/orgs/${org.id}/transfer`, { body: { userId: owner.id, password: other.password }, ...as(other) })).status,
    ).toBe(403);
    expect(
      (await request(server.url, 'POST', `/api/orgs/${org.id}/transfer`, { body: { userId: other.id, password: 'Wrong-Password-1' }, ...as(owner) })).status,
    ).toBe(401);
    const transferred = await request(server.url, 'POST', `/api/orgs/${org.id}/transfer`, {
      body: { userId: other.id, password: owner.password },
      ...as(owner),
    });
    expect(transferred.status).toBe(200);
    expect(transferred.body.members).toEqual([
      expect.objectContaining({ userId: other.id, role: 'owner' }),
      expect.objectContaining({ userId: owner.id, role: 'admin' }),
    ]);

    // The former owner may now leave; the new one may not (the last owner).
    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}/members/${other.id}`, as(other))).status).toBe(409);
    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}/members/${owner.id}`, as(owner))).status).toBe(204);
    expect((await request(server.url, 'GET', `/api/orgs/${org.id}`, as(owner))).status).toBe(404);
  });

  test('the active organization travels with the session; a role change or removal refuses its tokens at once', async ({ server }) => {
    const [owner, bob] = await Promise.all([newUser(server.url, 'Owner'), newUser(server.url, 'Bob')]);
    const org = await createOrg(server.url, owner);
    await addMember(server, owner, org.id, bob, 'member');

    expect(decodeJwt(bob.accessToken).org_id).toBeUndefined();
    const outsiderSwitch = await request(server.url, 'POST', '/api/orgs/active', {
      body: { organizationId: (await createOrg(server.url, owner)).id },
      ...as(bob),
    });
    expect(outsiderSwitch.status).toBe(404);

    let active = await switchOrg(server.url, bob, org.id);
    expect(decodeJwt(active.accessToken)).toMatchObject({ org_id: org.id, org_role: 'member', sub: bob.id });
    expect((await request(server.url, 'GET', '/api/auth/me', as(active))).status).toBe(200);
    // A refresh keeps it.
    active = await refresh(server.url, active);
    expect(decodeJwt(active.accessToken)).toMatchObject({ org_id: org.id, org_role: 'member' });

    // A new role: the token with the old one is refused; a refresh carries the new one.
    expect((await request(server.url, 'PATCH', `/api/orgs/${org.id}/members/${bob.id}`, { body: { role: 'admin' }, ...as(owner) })).status).toBe(200);
    expect((await request(server.url, 'GET', '/api/auth/me', as(active))).status).toBe(401);
    active = await refresh(server.url, active);
    expect(decodeJwt(active.accessToken)).toMatchObject({ org_id: org.id, org_role: 'admin' });
    expect((await request(server.url, 'GET', '/api/auth/me', as(active))).status).toBe(200);

    // Removed: refused at once, and the next refresh no longer carries the organization.
    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}/members/${bob.id}`, as(owner))).status).toBe(204);
    expect((await request(server.url, 'GET', '/api/auth/me', as(active))).status).toBe(401);
    expect((await request(server.url, 'GET', `/api/orgs/${org.id}/projects`, as(active))).status).toBe(401);
    active = await refresh(server.url, active);
    expect(decodeJwt(active.accessToken).org_id).toBeUndefined();
    expect((await request(server.url, 'GET', `/api/orgs/${org.id}/projects`, as(active))).status).toBe(404);

    // Clearing it.
    const cleared = await request(server.url, 'POST', '/api/orgs/active', { body: { organizationId: null }, ...as(owner) });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ organization: null, role: null });
  });

  test("the organization's roles decide its projects; personal projects keep their rules", async ({ server }) => {
    const [owner, member, outsider] = await Promise.all(['Owner', 'Member', 'Outsider'].map((n) => newUser(server.url, n)));
    const org = await createOrg(server.url, owner!);
    await addMember(server, owner!, org.id, member!, 'member');
    const base = `/api/orgs/${org.id}/projects`;

    const made = await request(server.url, 'POST', base, { body: { name: 'Shared' }, ...as(member!) });
    expect(made.status).toBe(201);
    const p = made.body.project;
    expect(p).toMatchObject({ organizationId: org.id, ownerId: member!.id, name: 'Shared' });

    expect((await request(server.url, 'GET', `${base}/${p.id}`, as(owner!))).body.project.name).toBe('Shared');
    expect((await request(server.url, 'PATCH', `${base}/${p.id}`, { body: { name: 'Renamed' }, ...as(owner!) })).status).toBe(200);
    expect((await request(server.url, 'GET', `${base}/${p.id}`, as(outsider!))).status).toBe(404);
    expect((await request(server.url, 'GET', base, as(member!))).body.total).toBe(1);
    // Members write but do not delete.
    expect((await request(server.url, 'DELETE', `${base}/${p.id}`, as(member!))).status).toBe(403);

    // Not a personal project of its creator: not in their list, not reachable through /api/projects.
    expect((await request(server.url, 'GET', '/api/projects', as(member!))).body.total).toBe(0);
    expect((await request(server.url, 'GET', `/api/projects/${p.id}`, as(member!))).status).toBe(404);
    // The creator removed: no access any more.
    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}/members/${member!.id}`, as(owner!))).status).toBe(204);
    const after = await refresh(server.url, member!);
    expect((await request(server.url, 'GET', `${base}/${p.id}`, as(after))).status).toBe(404);

    // Another organization's id in the path finds nothing.
    const other = await createOrg(server.url, owner!);
    expect((await request(server.url, 'GET', `/api/orgs/${other.id}/projects/${p.id}`, as(owner!))).status).toBe(404);
    expect((await request(server.url, 'DELETE', `${base}/${p.id}`, as(owner!))).status).toBe(204);
  });

  test('deleting needs an owner and the password; its projects go with it in one transaction', async ({ server }) => {
    const [owner, admin] = await Promise.all([newUser(server.url, 'Owner'), newUser(server.url, 'Admin')]);
    const org = await createOrg(server.url, owner);
    await addMember(server, owner, org.id, admin, 'admin');
    const project = (await request(server.url, 'POST', `/api/orgs/${org.id}/projects`, { body: { name: 'Doomed' }, ...as(owner) })).body.project;

    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}`, { body: { password: admin.password }, ...as(admin) })).status).toBe(403);
    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}`, { body: {}, ...as(owner) })).status).toBe(400);
    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}`, { body: { password: 'Wrong-Password-1' }, ...as(owner) })).status).toBe(401);
    expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}`, { body: { password: owner.password }, ...as(owner) })).status).toBe(204);

    expect(await server.query(`select id from projects where id = '${project.id}'`)).toEqual([]);
    expect(await server.query(`select * from organization_members where organization_id = '${org.id}'`)).toEqual([]);
    const [event] = await server.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where type = 'org.deleted' and details->>'organizationId' = '${org.id}'`,
    );
    expect(event?.details).toMatchObject({ projects: 1, members: 2 });
  });

  test('audit events: owners and admins of the organization, and global admins; not members', async ({ server }) => {
    const root = await loginAdmin(server.url);
    const [owner, admin, member] = await Promise.all(['Owner', 'Admin', 'Member'].map((n) => newUser(server.url, n)));
    const org = await createOrg(server.url, owner!);
    await addMember(server, owner!, org.id, admin!, 'admin');
    await addMember(server, owner!, org.id, member!, 'member');
    await request(server.url, 'PATCH', `/api/orgs/${org.id}`, { body: { name: 'Audited' }, ...as(owner!) });

    const read = (p: Person) => request(server.url, 'GET', `/api/orgs/${org.id}/audit?limit=100`, as(p));
    expect((await read(member!)).status).toBe(403);
    for (const who of [owner!, admin!, root]) {
      const res = await read(who);
      expect(res.status).toBe(200);
      const types = res.body.events.map((e: { type: string }) => e.type);
      expect(types).toEqual(expect.arrayContaining(['org.created', 'org.invitation_created', 'org.invitation_accepted', 'org.updated']));
      expect(res.body.events.every((e: { details: { organizationId: string } }) => e.details.organizationId === org.id)).toBe(true);
    }

    // The global admin sees every organization in the admin console, and may manage any of them.
    const all = await request(server.url, 'GET', `/api/admin/orgs?query=${encodeURIComponent(org.slug)}`, as(root));
    expect(all.status).toBe(200);
    expect(all.body.organizations).toEqual([expect.objectContaining({ organization: expect.objectContaining({ id: org.id }), memberCount: 3, role: null })]);
    expect((await request(server.url, 'GET', '/api/admin/orgs', as(owner!))).status).toBe(403);
    expect((await request(server.url, 'GET', `/api/orgs/${org.id}/members`, as(root))).status).toBe(200);
  });

  test('a deleted account leaves its organizations an owner and their projects', async ({ server }) => {
    const [owner, admin, loner] = await Promise.all(['Owner', 'Admin', 'Loner'].map((n) => newUser(server.url, n)));
    const org = await createOrg(server.url, owner!);
    await addMember(server, owner!, org.id, admin!, 'admin');
    const project = (await request(server.url, 'POST', `/api/orgs/${org.id}/projects`, { body: { name: 'Stays' }, ...as(owner!) })).body.project;
    const alone = await createOrg(server.url, loner!);

    expect((await request(server.url, 'DELETE', '/api/auth/me', { body: { password: owner!.password }, ...as(owner!) })).status).toBe(204);
    const members = await request(server.url, 'GET', `/api/orgs/${org.id}/members`, as(admin!));
    expect(members.body.members).toEqual([expect.objectContaining({ userId: admin!.id, role: 'owner' })]);
    expect((await request(server.url, 'GET', `/api/orgs/${org.id}/projects/${project.id}`, as(admin!))).body.project).toMatchObject({ ownerId: admin!.id });

    expect((await request(server.url, 'DELETE', '/api/auth/me', { body: { password: loner!.password }, ...as(loner!) })).status).toBe(204);
    expect(await server.query(`select id from organizations where id = '${alone.id}'`)).toEqual([]);
  });

  test('an auto-join domain: set only for your own verified domain; people verified there join as members', async ({ server }) => {
    const [owner, carol] = await Promise.all([newUser(server.url, 'Owner'), newUser(server.url, 'Carol')]);
    const stranger = await newUser(server.url, 'Stranger');
    await server.query(
      `update users set email = 'stranger@other.test', email_normalized = 'stranger@other.test', email_verified_at = now() where id = '${stranger.id}'`,
    );
    const org = await createOrg(server.url, owner);
    const setDomain = () => request(server.url, 'PATCH', `/api/orgs/${org.id}`, { body: { autoJoinDomain: 'Example.com' }, ...as(owner) });
    expect((await setDomain()).status).toBe(403);
    await server.query(`update users set email_verified_at = now() where id = '${owner.id}'`);
    const set = await setDomain();
    expect(set.status).toBe(200);
    expect(set.body.organization.autoJoinDomain).toBe('example.com');

    const join = (p: Person) => request(server.url, 'POST', `/api/orgs/${org.id}/join`, as(p));
    expect((await join(carol)).status).toBe(404);
    expect((await join(stranger)).status).toBe(404);
    await server.query(`update users set email_verified_at = now() where id = '${carol.id}'`);
    const joined = await join(carol);
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ role: 'member', memberCount: 2 });
    expect((await join(owner)).body.role).toBe('owner');
    const [event] = await server.query<{ details: Record<string, unknown> }>(
      `select details from audit_events where type = 'org.member_added' and user_id = '${carol.id}'`,
    );
    expect(event?.details).toMatchObject({ organizationId: org.id, via: 'domain' });
  });
});
