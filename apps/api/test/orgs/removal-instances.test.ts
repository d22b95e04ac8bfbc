import { describe, expect } from 'vitest';
import { accessEnv, newUser } from '@portcullis/testing/access';
import { request } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { addMember, as, createOrg, switchOrg } from '@portcullis/testing/orgs';
import { startServer } from '@portcullis/testing/server';

const test = apiTest(accessEnv());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A member removed on one instance is refused for the organization on another at once: the same
 * revocation path as a change of global role (PostgreSQL NOTIFY, Redis beside it). Needs
 * DATABASE_URL: the embedded database can be opened by one process only.
 */
describe.skipIf(!process.env.DATABASE_URL)('organization removal across instances', () => {
  test.beforeAll(startApi);

  test("a removed member's token for the organization is refused on a second instance", async ({ server }) => {
    const second = await startServer(server.env);
    try {
      const [owner, bob] = await Promise.all([newUser(server.url, 'Owner'), newUser(server.url, 'Bob')]);
      const org = await createOrg(server.url, owner);
      await addMember(server, owner, org.id, bob, 'member');
      const active = await switchOrg(server.url, bob, org.id);
      const project = (await request(server.url, 'POST', `/api/orgs/${org.id}/projects`, { body: { name: 'Shared' }, ...as(owner) })).body.project;
      expect((await request(second.url, 'GET', `/api/orgs/${org.id}/projects/${project.id}`, as(active))).status).toBe(200);

      expect((await request(server.url, 'DELETE', `/api/orgs/${org.id}/members/${bob.id}`, as(owner))).status).toBe(204);
      // The organization's routes read the membership from the shared database: refused at once.
      expect((await request(second.url, 'GET', `/api/orgs/${org.id}/projects/${project.id}`, as(active))).status).not.toBe(200);
      // The token itself (it carries org_id) is refused by the second instance's revocation list:
      // the bus delivers within milliseconds; polled up to 10 s, far below the 30 s periodic reload.
      let status = 0;
      const deadline = Date.now() + 10_000;
      while (status !== 401 && Date.now() < deadline) {
        status = (await request(second.url, 'GET', '/api/auth/me', as(active))).status;
        if (status !== 401) await sleep(50);
      }
      expect(status).toBe(401);
      // Tokens without the organization are unaffected.
      expect((await request(second.url, 'GET', '/api/auth/me', as(bob))).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
