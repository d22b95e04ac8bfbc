import type { Role } from '@portcullis/api/src/db/schema.js';
import { bearer, registerUser, request, STRONG_PASSWORD, uniqueEmail } from './http.js';
import { startServer, type TestServer } from './server.js';

/** People with each role, for the access-control tests. The first admin comes from ALLOW_BOOTSTRAP. */

export const ADMIN_EMAIL = 'root.admin@example.com';
export const ADMIN_PASSWORD = 'Bootstrap-Admin-7!';

export interface Person {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** The environment of the access tests: the bootstrap admin on, rate limits off; for `apiTest(accessEnv())`. */
export function accessEnv(env: Record<string, string> = {}): Record<string, string> {
  return { RATE_LIMITS: 'off', ALLOW_BOOTSTRAP: 'true', BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env };
}

export function startAccessServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startServer(accessEnv(env));
}

/** Signs in with body transport, so the refresh token comes back in JSON. */
export async function login(url: string, email: string, password: string): Promise<Person> {
  const res = await request(url, 'POST', '/api/auth/login', { body: { email, password }, headers: { 'x-token-transport': 'body' } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, email, password, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

export async function refresh(url: string, person: Person): Promise<Person> {
  const res = await request(url, 'POST', '/api/auth/refresh', { body: { refreshToken: person.refreshToken }, headers: { 'x-token-transport': 'body' } });
  if (res.status !== 200) throw new Error(`refresh failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...person, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

export const loginAdmin = (url: string) => login(url, ADMIN_EMAIL, ADMIN_PASSWORD);

export async function newUser(url: string, displayName = 'Test User'): Promise<Person> {
  const r = await registerUser(url, { email: uniqueEmail(), displayName }, { 'x-token-transport': 'body' });
  return { id: r.user.id, email: r.email, password: r.password, accessToken: r.accessToken, refreshToken: r.refreshToken };
}

/** A new account with `role`, set by `admin` through the API, signed in afresh so its token carries the role. */
export async function personWithRole(url: string, admin: Person, role: Role, displayName = `A ${role}`): Promise<Person> {
  const person = await newUser(url, displayName);
  if (role !== 'user') {
    const res = await request(url, 'PATCH', `/api/admin/users/${person.id}`, { body: { role }, headers: bearer(admin.accessToken) });
    if (res.status !== 200) throw new Error(`role change failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return login(url, person.email, STRONG_PASSWORD);
}

export async function createProject(
  url: string,
  owner: Person,
  name = 'A project',
): Promise<{ id: string; ownerId: string; name: string; description: string }> {
  const res = await request(url, 'POST', '/api/projects', { body: { name }, headers: bearer(owner.accessToken) });
  if (res.status !== 201) throw new Error(`create project failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.project;
}
