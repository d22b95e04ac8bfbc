import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_ENV } from '@portcullis/testing/core';
import { registerUser, request } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';

/**
 * The hot paths' statements go to PostgreSQL as named prepared statements, parsed and planned once
 * per connection (src/db/namedStatement.ts, issue 12): the account lookup and the sign-in's one
 * statement at every sign-in, the rotation at every refresh. An unnamed statement is planned on
 * every call: on the sign-in, twice the time it takes to run. PostgreSQL only (PGlite has no
 * named statements).
 */
describe.skipIf(!process.env.DATABASE_URL)('named prepared statements on the hot paths', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ...CORE_ENV });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Every statement the API sends outside a transaction while `run` runs: its text and name. */
  async function statementsSent(run: () => Promise<void>): Promise<{ text: string; name?: string }[]> {
    const pool = (server.ctx.db as unknown as { $client: pg.Pool }).$client;
    const realQuery = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    const sent: { text: string; name?: string }[] = [];
    (pool as { query: unknown }).query = (...args: unknown[]) => {
      const config = args[0] as string | { text: string; name?: string };
      sent.push(typeof config === 'string' ? { text: config } : { text: config.text, name: config.name });
      return realQuery(...args);
    };
    try {
      await run();
    } finally {
      (pool as { query: unknown }).query = realQuery;
    }
    return sent;
  }
  const namesOf = (sent: { text: string; name?: string }[], pattern: RegExp) => sent.filter((s) => pattern.test(s.text)).map((s) => s.name);

  it('sends the account lookup, the sign-in statement and the rotation under names that stay the same', async () => {
    const alice = await registerUser(server.url);
    const signIn = async () => {
      const res = await request(server.url, 'POST', '/api/auth/login', {
        body: { email: alice.email, password: alice.password },
        headers: { 'x-token-transport': 'body' },
      });
      expect(res.status).toBe(200);
      const rotated = await request(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: res.body.refreshToken } });
      expect(rotated.status).toBe(200);
    };
    const first = await statementsSent(signIn);
    const second = await statementsSent(signIn);

    const lookup = /from "users".*"email_normalized" = \$1/s;
    const signInStatement = /insert into "sessions"/;
    const rotation = /update refresh_tokens t set rotated_at/;
    for (const sent of [first, second]) {
      expect(namesOf(sent, lookup), 'the account lookup').toEqual([expect.stringMatching(/^portcullis_/)]);
      expect(namesOf(sent, signInStatement), 'the sign-in statement').toEqual([expect.stringMatching(/^portcullis_sign_in_/)]);
      expect(namesOf(sent, rotation), 'the rotation').toEqual([expect.stringMatching(/^portcullis_refresh_first_use_/)]);
    }
    // The same names the second time: PostgreSQL plans each of them once per connection.
    for (const pattern of [lookup, signInStatement, rotation]) expect(namesOf(second, pattern)).toEqual(namesOf(first, pattern));
  });
});
