import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_ENV } from '@portcullis/testing/core';
import { bearer, registerUser, request, STRONG_PASSWORD, uniqueEmail } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { sleep } from './helpers/apiInstances.js';
import { loseNextCommitAck, loseNextStatementAck } from './helpers/lostAck.js';

/**
 * Lost commit acknowledgements (issue 17, items 3 and 8): PostgreSQL committed, the answer was
 * lost, the API answered 503. No sequence of these may leave a revoked token accepted, and a
 * retried sign-up or sign-in must leave the account with only the sessions the client knows of.
 * See helpers/lostAck.ts for what is simulated. With DATABASE_URL, a second instance on the same
 * database (in this process, its own pool and LISTEN connection) must refuse the tokens as well;
 * on PGlite there is one instance.
 */

const SHARED = Boolean(process.env.DATABASE_URL);
const body = { 'x-token-transport': 'body' };

describe('lost commit acknowledgements', () => {
  let a: TestServer;
  let b: TestServer | undefined;
  beforeAll(async () => {
    a = await startServer({ ...CORE_ENV });
    if (SHARED) b = await startServer({ ...CORE_ENV, DATABASE_URL: a.env.DATABASE_URL! });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const instances = () => (b ? [a, b] : [a]);
  /** Milliseconds until every instance refuses `token` (undefined: still accepted after `withinMs`). */
  async function refusedEverywhereAfter(token: string, withinMs: number): Promise<number | undefined> {
    const started = Date.now();
    while (Date.now() - started < withinMs) {
      const statuses = await Promise.all(instances().map((s) => request(s.url, 'GET', '/api/auth/me', { headers: bearer(token) }).then((r) => r.status)));
      if (statuses.every((s) => s === 401)) return Date.now() - started;
      await sleep(25);
    }
    return undefined;
  }
  const liveSessions = async (userId: string) =>
    (await a.query<{ id: string }>(`select id from sessions where user_id = '${userId}' and revoked_at is null`)).map((r) => r.id);

  it('a logout whose commit was not acknowledged: 503, yet the token is refused everywhere within a second, with or without a retry', async () => {
    const alice = await registerUser(a.url, {}, body);
    const fault = loseNextCommitAck(a.ctx, /update "sessions"/i);
    const out = await request(a.url, 'POST', '/api/auth/logout', { body: { refreshToken: alice.refreshToken } });
    await fault.fired;
    expect(out.status).toBe(503);
    // Committed: the session is revoked in the database.
    expect(await liveSessions(alice.user.id)).toEqual([]);
    // No retry: the follow-up re-publishes once the database answers (here, at once).
    const lag = await refusedEverywhereAfter(alice.accessToken, 3_000);
    expect(lag, 'the access token was still accepted 3 s after the committed logout').toBeDefined();
    expect(lag!).toBeLessThan(1_000);
    // The client's retry is answered 204, and the token stays refused.
    expect((await request(a.url, 'POST', '/api/auth/logout', { body: { refreshToken: alice.refreshToken } })).status).toBe(204);
    expect(await refusedEverywhereAfter(alice.accessToken, 500)).toBeDefined();
  });

  it('a session the database already has as revoked is published again by a logout or a refresh of it', async () => {
    // As if a logout had committed and its instance died before publishing anything.
    for (const attempt of ['logout', 'refresh'] as const) {
      const bob = await registerUser(a.url, {}, body);
      await a.query(`update sessions set revoked_at = now(), revoked_reason = 'logout' where user_id = '${bob.user.id}'`);
      // Nobody was told: the access token is still accepted (the flaw being fixed, shown).
      expect((await request(a.url, 'GET', '/api/auth/me', { headers: bearer(bob.accessToken) })).status).toBe(200);
      const res = await request(a.url, 'POST', `/api/auth/${attempt}`, { body: { refreshToken: bob.refreshToken }, headers: body });
      expect(res.status).toBe(attempt === 'logout' ? 204 : 401);
      const lag = await refusedEverywhereAfter(bob.accessToken, 3_000);
      expect(lag, `after a ${attempt} of a revoked session the token was still accepted`).toBeDefined();
      expect(lag!).toBeLessThan(1_000);
    }
  });

  it('a sign-up whose commit was not acknowledged leaves no session behind: the retry is 409, the sign-in after it the only session', async () => {
    const email = uniqueEmail('lostack');
    const fault = loseNextCommitAck(a.ctx, /insert into "sessions"/i);
    const first = await request(a.url, 'POST', '/api/auth/register', { body: { email, password: STRONG_PASSWORD, displayName: 'Lost Ack' }, headers: body });
    await fault.fired;
    expect(first.status).toBe(503);
    const retry = await request(a.url, 'POST', '/api/auth/register', { body: { email, password: STRONG_PASSWORD, displayName: 'Lost Ack' }, headers: body });
    expect(retry.status).toBe(409);
    const [user] = await a.query<{ id: string }>(`select id from users where email = '${email}'`);
    // The orphaned session (created, never received) is revoked promptly.
    let live = await liveSessions(user!.id);
    for (let i = 0; i < 40 && live.length > 0; i++) {
      await sleep(50);
      live = await liveSessions(user!.id);
    }
    expect(live).toEqual([]);
    const signedIn = await request(a.url, 'POST', '/api/auth/login', { body: { email, password: STRONG_PASSWORD }, headers: body });
    expect(signedIn.status).toBe(200);
    expect(await liveSessions(user!.id)).toHaveLength(1);
  });

  it('a sign-in whose statement was not acknowledged: after the retry the account has exactly the session the client holds', async () => {
    const carol = await registerUser(a.url, {}, body);
    await request(a.url, 'POST', '/api/auth/logout', { body: { refreshToken: carol.refreshToken } });
    // The sign-in's writes are one statement that commits on its own (sessionStart.ts).
    const fault = loseNextStatementAck(a.ctx, /insert into "sessions"/i);
    const first = await request(a.url, 'POST', '/api/auth/login', { body: { email: carol.email, password: STRONG_PASSWORD }, headers: body });
    await fault.fired;
    expect(first.status).toBe(503);
    const retry = await request(a.url, 'POST', '/api/auth/login', { body: { email: carol.email, password: STRONG_PASSWORD }, headers: body });
    expect(retry.status).toBe(200);
    let live = await liveSessions(carol.user.id);
    for (let i = 0; i < 40 && live.length > 1; i++) {
      await sleep(50);
      live = await liveSessions(carol.user.id);
    }
    expect(live).toHaveLength(1);
    // …and it is the one the client holds.
    expect((await request(a.url, 'POST', '/api/auth/refresh', { body: { refreshToken: retry.body.refreshToken }, headers: body })).status).toBe(200);
  });

  it('a sign-in whose response could not be delivered (the client went away) leaves no live session', async () => {
    const dave = await registerUser(a.url, {}, body);
    await request(a.url, 'POST', '/api/auth/logout', { body: { refreshToken: dave.refreshToken } });
    const payload = JSON.stringify({ email: dave.email, password: STRONG_PASSWORD });
    const { port } = new URL(a.url);
    // The whole request, then gone before the answer (password hashing alone takes longer).
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Token-Transport: body\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
          () => {
            socket.destroy();
            resolve();
          },
        );
      });
      socket.on('error', reject);
    });
    // The session is created (the server carried on) and then revoked, its response undelivered.
    let created = false;
    let live: string[] = ['?'];
    for (let i = 0; i < 100; i++) {
      const all = await a.query<{ id: string; revoked_reason: string | null }>(
        `select id, revoked_reason from sessions where user_id = '${dave.user.id}' and revoked_reason is distinct from 'logout'`,
      );
      created = all.length > 0;
      live = all.filter((s) => s.revoked_reason === null).map((s) => s.id);
      if (created && live.length === 0) break;
      await sleep(50);
    }
    expect(created, 'the sign-in never created its session').toBe(true);
    expect(live).toEqual([]);
    const [reason] = await a.query<{ revoked_reason: string }>(
      `select revoked_reason from sessions where user_id = '${dave.user.id}' and revoked_reason <> 'logout'`,
    );
    expect(reason!.revoked_reason).toBe('response_undelivered');
  });
});
