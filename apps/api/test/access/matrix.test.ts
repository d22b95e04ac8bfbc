import { describe, expect } from 'vitest';
import { ADMIN_PASSWORD, createProject, loginAdmin, newUser, personWithRole, accessEnv, type Person } from '@portcullis/testing/access';
import { bearer, request } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest(accessEnv());

/**
 * The contract's access-control table as data: every protected endpoint, called by every kind of
 * caller, with the exact status each must get. Each cell gets fresh targets, so a destructive
 * cell cannot hide the result of the next. A second test checks that the matrix covers every
 * operation the OpenAPI document lists under /api/projects and /api/admin: a new endpoint fails
 * the suite until a row is added here.
 */

const ACTORS = ['anonymous', 'forged', 'owner', 'other', 'moderator', 'admin'] as const;
type Actor = (typeof ACTORS)[number];

interface Fixture {
  /** A project owned by `owner`. */
  project: { id: string; name: string };
  /** A plain user that admin operations act on. */
  target: Person;
}

interface Row {
  /** The OpenAPI operation: method and path template. */
  operation: string;
  path: (f: Fixture) => string;
  body?: unknown;
  expect: Record<Actor, number>;
  /** For changes: proves a refused call changed nothing. */
  intact?: (server: TestServer, f: Fixture) => Promise<void>;
}

const NOBODY = { anonymous: 401, forged: 401 } as const;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const ADMIN_ONLY = (ok: number) => ({ ...NOBODY, owner: 403, other: 403, moderator: 403, admin: ok });
const OWNER_MOD_ADMIN = (ok: number) => ({ ...NOBODY, owner: ok, other: 404, moderator: ok, admin: ok });

async function projectIntact(server: TestServer, f: Fixture) {
  const rows = await server.query<{ name: string }>(`select name from projects where id = '${f.project.id}'`);
  expect(rows).toEqual([{ name: f.project.name }]);
}
async function targetIntact(server: TestServer, f: Fixture) {
  const rows = await server.query<{ role: string }>(`select role from users where id = '${f.target.id}'`);
  expect(rows).toEqual([{ role: 'user' }]);
  const me = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(f.target.accessToken) });
  expect(me.status).toBe(200);
}

export const MATRIX: Row[] = [
  { operation: 'GET /api/projects', path: () => '/api/projects', expect: { ...NOBODY, owner: 200, other: 200, moderator: 200, admin: 200 } },
  { operation: 'GET /api/projects', path: () => '/api/projects?all=true', expect: { ...NOBODY, owner: 403, other: 403, moderator: 200, admin: 200 } },
  {
    operation: 'POST /api/projects',
    path: () => '/api/projects',
    body: { name: 'New' },
    expect: { ...NOBODY, owner: 201, other: 201, moderator: 201, admin: 201 },
  },
  { operation: 'GET /api/projects/{id}', path: (f) => `/api/projects/${f.project.id}`, expect: OWNER_MOD_ADMIN(200) },
  {
    operation: 'PATCH /api/projects/{id}',
    path: (f) => `/api/projects/${f.project.id}`,
    body: { name: 'Renamed' },
    expect: OWNER_MOD_ADMIN(200),
    intact: projectIntact,
  },
  { operation: 'DELETE /api/projects/{id}', path: (f) => `/api/projects/${f.project.id}`, expect: OWNER_MOD_ADMIN(204), intact: projectIntact },
  { operation: 'GET /api/admin/users', path: () => '/api/admin/users', expect: ADMIN_ONLY(200) },
  { operation: 'GET /api/admin/users/{id}', path: (f) => `/api/admin/users/${f.target.id}`, expect: ADMIN_ONLY(200) },
  {
    operation: 'PATCH /api/admin/users/{id}',
    path: (f) => `/api/admin/users/${f.target.id}`,
    body: { role: 'moderator' },
    expect: ADMIN_ONLY(200),
    intact: targetIntact,
  },
  { operation: 'DELETE /api/admin/users/{id}', path: (f) => `/api/admin/users/${f.target.id}`, expect: ADMIN_ONLY(204), intact: targetIntact },
  {
    operation: 'POST /api/admin/users/{id}/sessions/revoke',
    path: (f) => `/api/admin/users/${f.target.id}/sessions/revoke`,
    expect: ADMIN_ONLY(204),
    intact: targetIntact,
  },
  // The target has no second factor: an admin is told there is nothing to reset (409); the
  // reset itself is covered in admin-mfa-reset.test.ts. Here: nobody else gets that far.
  {
    operation: 'POST /api/admin/users/{id}/mfa/reset',
    path: (f) => `/api/admin/users/${f.target.id}/mfa/reset`,
    expect: ADMIN_ONLY(409),
    intact: targetIntact,
  },
  { operation: 'GET /api/admin/audit-events', path: () => '/api/admin/audit-events', expect: ADMIN_ONLY(200) },
  { operation: 'POST /api/admin/keys/rotate', path: () => '/api/admin/keys/rotate', expect: ADMIN_ONLY(200) },
  // Webhooks and service accounts (issue 15). An event nothing here causes, so nothing is sent out.
  { operation: 'GET /api/admin/webhooks', path: () => '/api/admin/webhooks', expect: ADMIN_ONLY(200) },
  {
    operation: 'POST /api/admin/webhooks',
    path: () => '/api/admin/webhooks',
    // The admin's password: these leave a lasting grant and re-authenticate (the admin's sign-in may be over 10 minutes old by now).
    body: { url: 'https://93.184.216.34/hook', events: ['user.locked'], password: ADMIN_PASSWORD },
    expect: ADMIN_ONLY(201),
  },
  { operation: 'PATCH /api/admin/webhooks/{id}', path: () => `/api/admin/webhooks/${UNKNOWN}`, body: { enabled: false }, expect: ADMIN_ONLY(404) },
  { operation: 'DELETE /api/admin/webhooks/{id}', path: () => `/api/admin/webhooks/${UNKNOWN}`, expect: ADMIN_ONLY(404) },
  { operation: 'GET /api/admin/webhooks/{id}/deliveries', path: () => `/api/admin/webhooks/${UNKNOWN}/deliveries`, expect: ADMIN_ONLY(404) },
  {
    operation: 'POST /api/admin/webhooks/{id}/deliveries/{deliveryId}/resend',
    path: () => `/api/admin/webhooks/${UNKNOWN}/deliveries/${UNKNOWN}/resend`,
    expect: ADMIN_ONLY(404),
  },
  { operation: 'GET /api/admin/service-accounts', path: () => '/api/admin/service-accounts', expect: ADMIN_ONLY(200) },
  {
    operation: 'POST /api/admin/service-accounts',
    path: () => '/api/admin/service-accounts',
    body: { name: 'svc', password: ADMIN_PASSWORD },
    expect: ADMIN_ONLY(201),
  },
  { operation: 'DELETE /api/admin/service-accounts/{id}', path: () => `/api/admin/service-accounts/${UNKNOWN}`, expect: ADMIN_ONLY(404) },
  // The admin console (issue 13). Actions on an unknown account, so that the target stays usable for the rows above.
  { operation: 'GET /api/admin/accounts', path: () => '/api/admin/accounts', expect: ADMIN_ONLY(200) },
  { operation: 'GET /api/admin/accounts/{id}', path: (f) => `/api/admin/accounts/${f.target.id}`, expect: ADMIN_ONLY(200) },
  {
    operation: 'POST /api/admin/users',
    path: () => '/api/admin/users',
    body: { email: 'matrix.invite@example.com', displayName: 'Invited', password: ADMIN_PASSWORD },
    expect: ADMIN_ONLY(201),
  },
  { operation: 'POST /api/admin/users/{id}/lock', path: () => `/api/admin/users/${UNKNOWN}/lock`, body: { reason: 'matrix' }, expect: ADMIN_ONLY(404) },
  { operation: 'POST /api/admin/users/{id}/unlock', path: () => `/api/admin/users/${UNKNOWN}/unlock`, expect: ADMIN_ONLY(404) },
  { operation: 'POST /api/admin/users/{id}/password-reset', path: () => `/api/admin/users/${UNKNOWN}/password-reset`, expect: ADMIN_ONLY(404) },
  { operation: 'POST /api/admin/users/{id}/invitation', path: () => `/api/admin/users/${UNKNOWN}/invitation`, expect: ADMIN_ONLY(404) },
  {
    operation: 'DELETE /api/admin/users/{id}/identities/{identityId}',
    path: () => `/api/admin/users/${UNKNOWN}/identities/${UNKNOWN}`,
    expect: ADMIN_ONLY(404),
  },
  {
    operation: 'DELETE /api/admin/users/{id}/sessions/{sessionId}',
    path: () => `/api/admin/users/${UNKNOWN}/sessions/${UNKNOWN}`,
    expect: ADMIN_ONLY(404),
  },
  { operation: 'GET /api/admin/audit-log', path: () => '/api/admin/audit-log', expect: ADMIN_ONLY(200) },
  { operation: 'GET /api/admin/audit-log/export', path: () => '/api/admin/audit-log/export', expect: ADMIN_ONLY(200) },
  // Organizations (issue 16): the admin console's list of every organization.
  { operation: 'GET /api/admin/orgs', path: () => '/api/admin/orgs', expect: ADMIN_ONLY(200) },
];

const CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

describe('access control matrix', () => {
  const tokens = {} as Record<Actor, string | undefined>;
  let owner: Person;

  test.beforeAll(async ({ server }) => {
    const admin = await loginAdmin(server.url);
    owner = await newUser(server.url, 'Owner');
    tokens.anonymous = undefined;
    tokens.forged = owner.accessToken.slice(0, -4) + (owner.accessToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    tokens.owner = owner.accessToken;
    tokens.other = (await newUser(server.url, 'Other')).accessToken;
    tokens.moderator = (await personWithRole(server.url, admin, 'moderator')).accessToken;
    tokens.admin = admin.accessToken;
  });

  const cells = MATRIX.flatMap((row) => ACTORS.map((actor) => ({ row, actor })));

  test.for(
    cells.map(
      (c) =>
        [
          `${c.row.operation} ${c.row.path({ project: { id: ':project', name: '' }, target: { id: ':target' } as Person }).replace(/^[^?]*/, '')} as ${c.actor}`.replace(
            / +/g,
            ' ',
          ),
          c,
        ] as const,
    ),
  )('%s', async ([, { row, actor }], { server }) => {
    const fixture: Fixture = { project: await createProject(server.url, owner, `P ${Math.random()}`), target: await newUser(server.url, 'Target') };
    const token = tokens[actor];
    const res = await request(server.url, row.operation.split(' ')[0]!, row.path(fixture), {
      body: row.body,
      headers: token ? bearer(token) : {},
    });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: row.expect[actor] });
    if (res.status === 401) expect(res.body.error.code).toBe(actor === 'forged' ? 'INVALID_TOKEN' : 'UNAUTHENTICATED');
    else if (CODES[res.status]) expect(res.body.error.code).toBe(CODES[res.status]);
    if (res.status >= 400 && row.intact) await row.intact(server, fixture);
  });

  test('covers every operation the OpenAPI document lists under /api/projects and /api/admin', async ({ server }) => {
    const doc = await request(server.url, 'GET', '/api/openapi.json');
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/api/projects') || path.startsWith('/api/admin'))
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      );
    expect(new Set(MATRIX.map((r) => r.operation))).toEqual(new Set(documented));
  });
});
