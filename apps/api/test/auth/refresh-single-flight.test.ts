import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_ENV } from '@portcullis/testing/core';
import { cookieValue, registerUser, request } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';

/**
 * Refreshes of one token that arrive at one instance together share one rotation
 * (services/singleFlight.ts), so they hold one pool connection between them, not one each while
 * they queue on the session's row lock. With a pool of one connection and the session's row held
 * by another connection for longer than the pool's 3 s wait, every refresh but the first would
 * otherwise answer 503; shared, all of them get the same successor.
 */
describe.skipIf(!process.env.DATABASE_URL)('POST /api/auth/refresh, one token refreshed at once by many (needs DATABASE_URL: a second connection)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ...CORE_ENV, DATABASE_POOL_SIZE: '1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('share one rotation and one connection: all answer 200 with the same successor', async () => {
    const alice = await registerUser(server.url);
    const holder = new pg.Client({ connectionString: server.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(`select 1 from sessions where user_id = $1 for update`, [alice.user.id]);
      const refreshes = Array.from({ length: 5 }, () =>
        request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${alice.refreshToken}` } }),
      );
      // Longer than the pool's 3 s connection wait (db/client.ts) while the first refresh waits on the lock.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await holder.query('commit');
      const answers = await Promise.all(refreshes);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      const successors = new Set(answers.map((a) => cookieValue(a.cookies, 'refresh_token')));
      expect(successors.size).toBe(1);
      expect((await request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${[...successors][0]}` } })).status).toBe(200);
    } finally {
      await holder.end();
    }
  });
});
