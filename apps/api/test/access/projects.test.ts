import { describe, expect } from 'vitest';
import { createProject, loginAdmin, newUser, personWithRole, accessEnv, type Person } from '@portcullis/testing/access';
import { bearer, request } from '@portcullis/testing/http';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest(accessEnv());

/** The contract's projects: CRUD, validation, pagination and the moderator view. */

describe('projects', () => {
  let alice: Person;
  let bob: Person;
  let moderator: Person;
  let admin: Person;
  test.beforeAll(async ({ server }) => {
    admin = await loginAdmin(server.url);
    alice = await newUser(server.url, 'Alice');
    bob = await newUser(server.url, 'Bob');
    moderator = await personWithRole(server.url, admin, 'moderator');
  });

  const as = (p: Person) => ({ headers: bearer(p.accessToken) });

  test('creates, reads, changes and deletes an own project', async ({ server }) => {
    const created = await request(server.url, 'POST', '/api/projects', { body: { name: '  Apollo  ', description: 'To the moon.\nAnd back.' }, ...as(alice) });
    expect(created.status).toBe(201);
    const p = created.body.project;
    expect(Object.keys(p).sort()).toEqual(['createdAt', 'description', 'id', 'name', 'ownerId', 'updatedAt']);
    expect(p).toMatchObject({ ownerId: alice.id, name: 'Apollo', description: 'To the moon.\nAnd back.' });

    expect((await request(server.url, 'GET', `/api/projects/${p.id}`, as(alice))).body.project).toEqual(p);
    // Upper-case ids are the same id.
    expect((await request(server.url, 'GET', `/api/projects/${p.id.toUpperCase()}`, as(alice))).status).toBe(200);

    const patched = await request(server.url, 'PATCH', `/api/projects/${p.id}`, { body: { description: '' }, ...as(alice) });
    expect(patched.status).toBe(200);
    expect(patched.body.project).toMatchObject({ name: 'Apollo', description: '' });
    expect(Date.parse(patched.body.project.updatedAt)).toBeGreaterThanOrEqual(Date.parse(p.updatedAt));

    expect((await request(server.url, 'DELETE', `/api/projects/${p.id}`, as(alice))).status).toBe(204);
    expect((await request(server.url, 'GET', `/api/projects/${p.id}`, as(alice))).status).toBe(404);
    expect((await request(server.url, 'DELETE', `/api/projects/${p.id}`, as(alice))).status).toBe(404);
  });

  test('defaults the description to empty', async ({ server }) => {
    const res = await request(server.url, 'POST', '/api/projects', { body: { name: 'Bare' }, ...as(alice) });
    expect(res.body.project.description).toBe('');
  });

  test('validates name and description', async ({ server }) => {
    const bad: [unknown, string][] = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: 'bad\u0000name' }, 'name'],
      [{ name: 'ok', description: 'd'.repeat(2001) }, 'description'],
      [{ name: 'ok', description: null }, 'description'],
    ];
    for (const [body, field] of bad) {
      const res = await request(server.url, 'POST', '/api/projects', { body, ...as(alice) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const edge = await request(server.url, 'POST', '/api/projects', { body: { name: 'x'.repeat(100), description: 'd'.repeat(2000) }, ...as(alice) });
    expect(edge.status).toBe(201);
    const empty = await request(server.url, 'PATCH', `/api/projects/${edge.body.project.id}`, { body: {}, ...as(alice) });
    expect(empty.status).toBe(400);
  });

  test('never lets the body choose the owner, id or timestamps', async ({ server }) => {
    const res = await request(server.url, 'POST', '/api/projects', {
      body: { name: 'Mine', ownerId: bob.id, id: '00000000-0000-4000-8000-000000000001', createdAt: '2000-01-01T00:00:00Z' },
      ...as(alice),
    });
    expect(res.body.project.ownerId).toBe(alice.id);
    expect(res.body.project.id).not.toBe('00000000-0000-4000-8000-000000000001');
    const patched = await request(server.url, 'PATCH', `/api/projects/${res.body.project.id}`, { body: { name: 'Still mine', ownerId: bob.id }, ...as(alice) });
    expect(patched.body.project.ownerId).toBe(alice.id);
  });

  test("hides other people's projects from plain users (404), and a bad body does not reveal them either", async ({ server }) => {
    const p = await createProject(server.url, alice, 'Secret');
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'Mine now' }],
      ['PATCH', { name: '' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await request(server.url, method, `/api/projects/${p.id}`, { body, ...as(bob) });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    // Unknown and malformed ids answer the same way.
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope', '1%27%20or%201=1']) {
      expect((await request(server.url, 'GET', `/api/projects/${id}`, as(bob))).status).toBe(404);
    }
    expect((await server.query<{ name: string }>(`select name from projects where id = '${p.id}'`))[0]!.name).toBe('Secret');
  });

  test("lets a moderator read, change and delete anyone's project", async ({ server }) => {
    const p = await createProject(server.url, bob, 'Moderated');
    expect((await request(server.url, 'GET', `/api/projects/${p.id}`, as(moderator))).status).toBe(200);
    const patched = await request(server.url, 'PATCH', `/api/projects/${p.id}`, { body: { name: 'Cleaned up' }, ...as(moderator) });
    expect(patched.body.project).toMatchObject({ name: 'Cleaned up', ownerId: bob.id });
    expect((await request(server.url, 'DELETE', `/api/projects/${p.id}`, as(moderator))).status).toBe(204);
  });

  test("audits a moderator's changes to someone else's project, with the actor; an owner's own changes are not", async ({ server }) => {
    const p = await createProject(server.url, bob, 'Audited');
    await request(server.url, 'PATCH', `/api/projects/${p.id}`, { body: { name: 'Own change' }, ...as(bob) });
    await request(server.url, 'PATCH', `/api/projects/${p.id}`, { body: { description: 'Moderated' }, ...as(moderator) });
    await request(server.url, 'DELETE', `/api/projects/${p.id}`, { headers: { ...bearer(moderator.accessToken), 'user-agent': 'ModTool/2' } });
    const events = await request(server.url, 'GET', `/api/admin/audit-events?userId=${bob.id}&limit=100`, { headers: bearer(admin.accessToken) });
    const projectEvents = events.body.events.filter((e: { details: { projectId?: string } }) => e.details.projectId === p.id);
    expect(projectEvents).toHaveLength(2);
    expect(projectEvents[0]).toMatchObject({
      type: 'project.deleted',
      userId: bob.id,
      actorId: moderator.id,
      userAgent: 'ModTool/2',
      details: { projectId: p.id, name: 'Own change' },
    });
    expect(projectEvents[1]).toMatchObject({ type: 'project.updated', actorId: moderator.id, details: { projectId: p.id, fields: ['description'] } });
  });

  test("lists own projects, everyone's with all=true for moderators, paginated newest first", async ({ server }) => {
    const carol = await newUser(server.url, 'Carol');
    const names = ['c1', 'c2', 'c3', 'c4', 'c5'];
    for (const n of names) await createProject(server.url, carol, n);
    const dave = await newUser(server.url, 'Dave');
    await createProject(server.url, dave, 'd1');

    const own = await request(server.url, 'GET', '/api/projects', as(carol));
    expect(own.body).toMatchObject({ total: 5, page: 1, limit: 20 });
    expect(own.body.projects.map((p: { name: string }) => p.name)).toEqual([...names].reverse());

    const page2 = await request(server.url, 'GET', '/api/projects?page=2&limit=2', as(carol));
    expect(page2.body.projects.map((p: { name: string }) => p.name)).toEqual(['c3', 'c2']);
    expect(page2.body).toMatchObject({ total: 5, page: 2, limit: 2 });
    expect((await request(server.url, 'GET', '/api/projects?page=9', as(carol))).body.projects).toEqual([]);

    expect((await request(server.url, 'GET', '/api/projects?all=false', as(carol))).body.total).toBe(5);
    const forbidden = await request(server.url, 'GET', '/api/projects?all=true', as(carol));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');

    const all = await request(server.url, 'GET', '/api/projects?all=true&limit=100', as(moderator));
    const total = Number((await server.query<{ n: string }>('select count(*) as n from projects'))[0]!.n);
    expect(all.body.total).toBe(total);
    const owners = new Set(all.body.projects.map((p: { ownerId: string }) => p.ownerId));
    expect(owners.has(carol.id) && owners.has(dave.id)).toBe(true);
  });

  test('refuses bad paging and filter values with 400', async ({ server }) => {
    for (const q of ['page=0', 'page=-1', 'page=abc', 'limit=0', 'limit=101', 'limit=1.5', 'all=yes', 'page=1&page=2']) {
      const res = await request(server.url, 'GET', `/api/projects?${q}`, as(alice));
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await request(server.url, 'GET', '/api/projects?limit=100&page=1', as(alice))).status).toBe(200);
  });
});
