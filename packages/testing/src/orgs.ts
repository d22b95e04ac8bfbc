import { bearer, request } from './http.js';
import type { Person } from './access.js';
import { storedMail } from './mail.js';
import type { TestServer } from './server.js';

/** Organizations (issue 16) through the API, for the tests. */

let slugCounter = 0;
export const uniqueSlug = (prefix = 'org') => `${prefix}-${Date.now().toString(36)}-${++slugCounter}`;

export const as = (p: Pick<Person, 'accessToken'>) => ({ headers: bearer(p.accessToken) });

export async function createOrg(url: string, owner: Person, name = 'Acme'): Promise<{ id: string; slug: string; name: string }> {
  const res = await request(url, 'POST', '/api/orgs', { body: { name, slug: uniqueSlug() }, ...as(owner) });
  if (res.status !== 201) throw new Error(`create org failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.organization;
}

/** The token of the newest invitation link mailed to `email`. */
export async function invitationToken(server: Pick<TestServer, 'query' | 'ctx'>, email: string): Promise<string> {
  const mails = await storedMail(server, email);
  const last = mails.at(-1);
  const token = last && /[?&]token=([A-Za-z0-9_-]+)/.exec(last.text)?.[1];
  if (!token) throw new Error(`no invitation mail for ${email}`);
  return token;
}

export async function invite(server: TestServer, inviter: Person, orgId: string, email: string, role = 'member'): Promise<{ id: string; token: string }> {
  const res = await request(server.url, 'POST', `/api/orgs/${orgId}/invitations`, { body: { email, role }, ...as(inviter) });
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.invitation.id, token: await invitationToken(server, email) };
}

/** Invites `person` with `role` and accepts as them: they are a member afterwards. */
export async function addMember(server: TestServer, inviter: Person, orgId: string, person: Person, role = 'member'): Promise<void> {
  const { token } = await invite(server, inviter, orgId, person.email, role);
  const res = await request(server.url, 'POST', '/api/orgs/invitations/accept', { body: { token }, ...as(person) });
  if (res.status !== 200) throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Makes `orgId` the person's active organization; returns them with the new access token. */
export async function switchOrg(url: string, person: Person, orgId: string | null): Promise<Person> {
  const res = await request(url, 'POST', '/api/orgs/active', { body: { organizationId: orgId }, ...as(person) });
  if (res.status !== 200) throw new Error(`switch failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...person, accessToken: res.body.accessToken };
}
