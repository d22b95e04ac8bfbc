// Organizations (issue 16) through the SDK against the REAL API: the typed calls, switching the
// active organization (the client adopts the new token), and requireOrgPermission in another service.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, createOrganizationsClient, type AuthClient } from '../src/index.js';
import { createVerifier, requireAccessToken, requireOrgPermission, type BearerRequest } from '../src/server.js';

interface RunningApi {
  url: string;
  close(): Promise<void>;
}
type StartServer = (env?: Record<string, string>) => Promise<RunningApi>;

// Through a variable, as integration.test.ts: this package's tsc must not pull in the API's sources.
const helperPath = '@portcullis/testing/server';
const startServer = async (env?: Record<string, string>): Promise<RunningApi> => {
  const helper = (await import(/* @vite-ignore */ helperPath)) as { startServer: StartServer };
  return helper.startServer(env);
};

const ENV = { JWT_ISSUER: 'http://sdk-orgs.test', JWT_AUDIENCE: 'sdk-orgs', RATE_LIMITS: 'off' };
let counter = 0;
const uniqueEmail = () => `sdk.orgs.${Date.now().toString(36)}.${++counter}@example.com`;

describe('organizations through the SDK', () => {
  let api: RunningApi;
  let service: Server;
  let serviceUrl: string;
  const clients: AuthClient[] = [];

  beforeAll(async () => {
    api = await startServer(ENV);
    // Another service that trusts Portcullis tokens: writing an organization's projects needs `write_projects`, deleting `delete_projects`.
    const verifier = createVerifier({ issuer: ENV.JWT_ISSUER, audience: ENV.JWT_AUDIENCE, jwksUrl: `${api.url}/.well-known/jwks.json` });
    const authenticated = requireAccessToken(verifier);
    const orgOf = (req: BearerRequest & { url?: string }) => /^\/orgs\/([^/]+)/.exec(req.url ?? '')?.[1];
    const canWrite = requireOrgPermission('write_projects', { organizationId: orgOf });
    const canDelete = requireOrgPermission('delete_projects');
    service = createServer((req, res) => {
      authenticated(req, res, () => {
        const guard = req.method === 'DELETE' ? canDelete : canWrite;
        guard(req, res, () => res.end(JSON.stringify({ ok: true, org: (req as BearerRequest).auth?.org_id })));
      });
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await new Promise((resolve) => service?.close(resolve));
    await api?.close();
  });

  async function signUp(displayName: string) {
    const client = createAuthClient({ baseUrl: api.url, transport: 'body', autoRefresh: false });
    clients.push(client);
    const email = uniqueEmail();
    await client.register({ email, password: 'Correct-Horse-9!', displayName });
    return { client, orgs: createOrganizationsClient(client), email };
  }

  it('creates, invites, switches and enforces the organization role in another service', async () => {
    const owner = await signUp('Owner');
    const bob = await signUp('Bob');
    const slug = `sdk-${Date.now().toString(36)}`;
    const created = await owner.orgs.create({ name: 'SDK Co', slug });
    expect(created).toMatchObject({ role: 'owner', organization: { slug } });
    const orgId = created.organization.id;

    const invitation = await owner.orgs.invite(orgId, { email: bob.email, role: 'member' });
    expect((await owner.orgs.invitations(orgId)).map((i) => i.id)).toEqual([invitation.id]);
    // The link's token is mailed; the test reads it from the dev outbox of this loopback server.
    const outbox = (await (await fetch(`${api.url}/api/dev/outbox`)).json()) as { messages: { to: string; text: string }[] };
    const token = /token=([A-Za-z0-9_-]+)/.exec(outbox.messages.find((m) => m.to === bob.email)?.text ?? '')?.[1];
    expect(token).toBeTruthy();
    expect((await bob.orgs.previewInvitation(token!)).organization.name).toBe('SDK Co');
    expect((await bob.orgs.acceptInvitation(token!)).role).toBe('member');

    const call = (client: AuthClient, method: string, path: string) =>
      fetch(`${serviceUrl}${path}`, { method, headers: { authorization: `Bearer ${client.getAccessToken()}` } });
    // No active organization yet: refused.
    expect((await call(bob.client, 'POST', `/orgs/${orgId}/projects`)).status).toBe(403);
    const switched = await bob.orgs.switchTo(orgId);
    expect(switched).toMatchObject({ role: 'member', organization: { id: orgId } });
    expect(bob.client.getAccessToken()).toBe(switched.accessToken);
    const ok = await call(bob.client, 'POST', `/orgs/${orgId}/projects`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, org: orgId });
    // Another organization's path, or a permission the member role lacks: 403.
    expect((await call(bob.client, 'POST', `/orgs/00000000-0000-4000-8000-000000000000/projects`)).status).toBe(403);
    const denied = await call(bob.client, 'DELETE', `/orgs/${orgId}/projects/x`);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });

    // Projects and members through the typed calls.
    const project = await bob.orgs.createProject(orgId, { name: 'Shared' });
    expect((await owner.orgs.projects(orgId)).projects.map((p) => p.id)).toEqual([project.id]);
    expect((await owner.orgs.members(orgId)).members.map((m) => m.role)).toEqual(['owner', 'member']);
    await owner.orgs.removeMember(orgId, project.ownerId);
    await expect(bob.orgs.get(orgId)).rejects.toMatchObject({ status: 404 });
    expect(bob.client.getAccessToken()).not.toBe(switched.accessToken); // refreshed after the revoked token's 401
  });
});
