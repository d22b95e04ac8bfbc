import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_ENV } from '@portcullis/testing/core';
import { cookieValue, registerUser, request } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';

/**
 * The common refresh runs as one statement (services/refreshFirstUse.ts) beside the full
 * transaction: these race it against the writes that end a session, and check what it leaves in
 * the tables. Whatever the interleaving, a session ended by a logout stays ended, and every
 * rotation leaves exactly one unrotated token, the child of the one presented.
 */
describe('POST /api/auth/refresh, the single-statement rotation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ...CORE_ENV });
  });
  afterAll(async () => {
    await server?.close();
  });

  const refresh = (token: string) => request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${token}` } });
  const logout = (token: string) => request(server.url, 'POST', '/api/auth/logout', { headers: { cookie: `refresh_token=${token}` } });

  it('a refresh racing a logout of the same token never leaves the session usable', async () => {
    for (let round = 0; round < 5; round++) {
      const alice = await registerUser(server.url);
      const [rotated, loggedOut] = await Promise.all([refresh(alice.refreshToken), logout(alice.refreshToken)]);
      expect(loggedOut.status).toBe(204);
      expect([200, 401]).toContain(rotated.status);
      const [session] = await server.query<{ revoked_at: unknown }>(`select revoked_at from sessions where user_id = '${alice.user.id}'`);
      expect(session!.revoked_at, 'the logout ended the session').not.toBeNull();
      const successor = rotated.status === 200 ? cookieValue(rotated.cookies, 'refresh_token') : undefined;
      if (successor) expect((await refresh(successor)).status, 'the successor of a logged-out session is refused').toBe(401);
    }
  });

  it('each rotation marks the presented token rotated and leaves one live child of it', async () => {
    const alice = await registerUser(server.url);
    let token = alice.refreshToken;
    for (let i = 0; i < 3; i++) {
      const res = await refresh(token);
      expect(res.status).toBe(200);
      token = cookieValue(res.cookies, 'refresh_token')!;
    }
    const rows = await server.query<{ id: string; parent_id: string | null; rotated_at: unknown }>(
      `select t.id, t.parent_id, t.rotated_at from refresh_tokens t join sessions s on s.id = t.session_id where s.user_id = '${alice.user.id}' order by t.created_at`,
    );
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => r.rotated_at === null)).toHaveLength(1);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.parent_id, `generation ${i} is a child of ${i - 1}`).toBe(rows[i - 1]!.id);
    const [session] = await server.query<{ last_active_at: Date; created_at: Date; ip: string | null }>(
      `select last_active_at, created_at, ip from sessions where user_id = '${alice.user.id}'`,
    );
    expect(new Date(session!.last_active_at).getTime()).toBeGreaterThanOrEqual(new Date(session!.created_at).getTime());
    expect(session!.ip, 'the ip of the last refresh is kept').not.toBeNull();
  });
});
