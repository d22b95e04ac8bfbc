import { describe, expect } from 'vitest';
import { createVerifier } from '@portcullis/sdk/server';
import { accessEnv, createProject, loginAdmin, newUser, type Person } from '@portcullis/testing/access';
import { apiTest } from '@portcullis/testing/fixtures';
import { bearer, request, STRONG_PASSWORD } from '@portcullis/testing/http';

/**
 * Personal API keys and service accounts (issue 15): a script calls the API with a key, a service
 * with the client credentials grant; both audited, both within their permissions.
 */

const test = apiTest(accessEnv());

describe('personal API keys', () => {
  let admin: Person;
  test.beforeAll(async ({ server }) => {
    admin = await loginAdmin(server.url);
  });

  const newKey = (url: string, who: Person, body: Record<string, unknown>) =>
    request(url, 'POST', '/api/auth/api-keys', { headers: bearer(who.accessToken), body: { password: STRONG_PASSWORD, ...body } });

  test('a script calls the API with a key, within its permissions; shown once, stored hashed, last use recorded; revoked, refused', async ({ server }) => {
    const ada = await newUser(server.url, 'Ada');
    const project = await createProject(server.url, ada, 'Ada’s');
    const created = await newKey(server.url, ada, { name: 'backup script', permissions: ['read'] });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    expect(created.body.apiKey).toMatchObject({ name: 'backup script', permissions: ['read'], prefix: key.slice(0, 10), lastUsedAt: null });
    expect(await server.query(`select 1 from api_keys where token_hash = '${key}' or prefix = '${key}'`)).toHaveLength(0);
    // A lasting credential: the holder is mailed.
    expect(
      await server.query(`select 1 from mail_messages where "to" = '${ada.email}' and subject = 'A new API key was created on your account'`),
    ).toHaveLength(1);

    const me = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(key) });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(ada.id);
    expect((await request(server.url, 'GET', `/api/projects/${project.id}`, { headers: bearer(key) })).status).toBe(200);
    // Only `read`: no change, no new project, and never the account's own management.
    expect((await request(server.url, 'PATCH', `/api/projects/${project.id}`, { headers: bearer(key), body: { name: 'x' } })).status).toBe(403);
    expect((await request(server.url, 'POST', '/api/projects', { headers: bearer(key), body: { name: 'y' } })).status).toBe(403);
    expect((await request(server.url, 'POST', '/api/auth/logout-all', { headers: bearer(key) })).status).toBe(403);
    expect((await request(server.url, 'POST', '/api/auth/api-keys', { headers: bearer(key), body: { name: 'z', permissions: ['read'] } })).status).toBe(403);

    const listed = await request(server.url, 'GET', '/api/auth/api-keys', { headers: bearer(ada.accessToken) });
    expect(listed.body.apiKeys).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    await expect.poll(async () => (await server.query(`select last_used_at from api_keys where user_id = '${ada.id}'`))[0]?.last_used_at).not.toBeNull();

    expect((await request(server.url, 'DELETE', `/api/auth/api-keys/${created.body.apiKey.id}`, { headers: bearer(ada.accessToken) })).status).toBe(204);
    const refused = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(key) });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('INVALID_TOKEN');
    const audit = await request(server.url, 'GET', `/api/admin/audit-events?userId=${ada.id}`, { headers: bearer(admin.accessToken) });
    expect(audit.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['api_key.created', 'api_key.revoked']));
  });

  test('a key cannot be wider than its owner; a wrong password mints nothing; another user’s key is 404; an expired key is refused', async ({ server }) => {
    const bo = await newUser(server.url, 'Bo');
    const wide = await newKey(server.url, bo, { name: 'wide', permissions: ['read', 'manage_users'] });
    expect(wide.status).toBe(403);
    const wrong = await newKey(server.url, bo, { name: 'k', permissions: ['read'], password: 'Wrong-Password-1' });
    expect(wrong.status).toBe(401);
    const own = await newKey(server.url, bo, { name: 'rw', permissions: ['read', 'write'] });
    expect(own.status).toBe(201);
    // Write over one's own resources is the owner's; a new project through the key is theirs.
    const made = await request(server.url, 'POST', '/api/projects', { headers: bearer(own.body.key), body: { name: 'from a script' } });
    expect(made.status).toBe(201);
    expect(made.body.project.ownerId).toBe(bo.id);
    const cy = await newUser(server.url, 'Cy');
    expect((await request(server.url, 'DELETE', `/api/auth/api-keys/${own.body.apiKey.id}`, { headers: bearer(cy.accessToken) })).status).toBe(404);
    await server.query(`update api_keys set expires_at = now() - interval '1 second' where id = '${own.body.apiKey.id}'`);
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(own.body.key) })).status).toBe(401);
  });

  test('an admin’s key with manage_users loses it when the owner is demoted', async ({ server }) => {
    const dee = await newUser(server.url, 'Dee');
    await request(server.url, 'PATCH', `/api/admin/users/${dee.id}`, { headers: bearer(admin.accessToken), body: { role: 'admin' } });
    const fresh = await request(server.url, 'POST', '/api/auth/login', { body: { email: dee.email, password: STRONG_PASSWORD } });
    const deeAdmin = { ...dee, accessToken: fresh.body.accessToken };
    const key = await newKey(server.url, deeAdmin, { name: 'ops', permissions: ['read', 'manage_users'] });
    expect(key.status).toBe(201);
    expect((await request(server.url, 'GET', '/api/admin/users', { headers: bearer(key.body.key) })).status).toBe(200);
    await request(server.url, 'PATCH', `/api/admin/users/${dee.id}`, { headers: bearer(admin.accessToken), body: { role: 'user' } });
    expect((await request(server.url, 'GET', '/api/admin/users', { headers: bearer(key.body.key) })).status).toBe(403);
  });
});

describe('service accounts: the client credentials grant', () => {
  test('a service gets an access token the SDK verifier accepts and calls the API with its role; deleted, refused', async ({ server }) => {
    const admin = await loginAdmin(server.url);
    const created = await request(server.url, 'POST', '/api/admin/service-accounts', {
      headers: bearer(admin.accessToken),
      body: { name: 'billing', role: 'moderator' },
    });
    expect(created.status).toBe(201);
    const { clientId } = created.body.serviceAccount;
    const { clientSecret } = created.body;
    expect(JSON.stringify((await request(server.url, 'GET', '/api/admin/service-accounts', { headers: bearer(admin.accessToken) })).body)).not.toContain(
      clientSecret,
    );

    // RFC 6749 4.4: a form body and HTTP Basic, as an OAuth client library sends it.
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const res = await fetch(`${server.url}/api/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    const token = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(token.token_type).toBe('Bearer');
    const verifier = createVerifier({ jwksUrl: `${server.url}/.well-known/jwks.json`, issuer: 'http://portcullis.test', audience: 'portcullis' });
    const claims = await verifier.verify(token.access_token);
    expect(claims).toMatchObject({ sub: created.body.serviceAccount.id, role: 'moderator' });

    // A moderator reads everyone's projects; it owns none.
    expect((await request(server.url, 'GET', '/api/projects?all=true', { headers: bearer(token.access_token) })).status).toBe(200);
    expect((await request(server.url, 'POST', '/api/projects', { headers: bearer(token.access_token), body: { name: 'n' } })).status).toBe(403);
    expect((await request(server.url, 'GET', '/api/admin/users', { headers: bearer(token.access_token) })).status).toBe(403);

    // client_secret_post with JSON works too; a wrong secret is 401.
    const post = await request(server.url, 'POST', '/api/oauth/token', {
      body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    });
    expect(post.status).toBe(200);
    const bad = await request(server.url, 'POST', '/api/oauth/token', {
      body: { grant_type: 'client_credentials', client_id: clientId, client_secret: 'nope' },
    });
    expect(bad.status).toBe(401);

    expect(
      (await request(server.url, 'DELETE', `/api/admin/service-accounts/${created.body.serviceAccount.id}`, { headers: bearer(admin.accessToken) })).status,
    ).toBe(204);
    expect((await request(server.url, 'GET', '/api/projects?all=true', { headers: bearer(token.access_token) })).status).toBe(401);
    const audit = await request(server.url, 'GET', '/api/admin/audit-events?type=service_account.token_issued', { headers: bearer(admin.accessToken) });
    expect(audit.body.events.length).toBeGreaterThanOrEqual(2);
  });
});
