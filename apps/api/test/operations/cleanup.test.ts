import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { runCleanup } from '../../src/services/cleanup.js';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest();

/**
 * The cleanup job deletes what can no longer be used and keeps the rest, with the audit log kept
 * (or trimmed to AUDIT_RETENTION). Rows are aged with real SQL, then the real job runs.
 */

const DAY = "interval '25 hours'";

describe('cleanup job', () => {
  test.beforeAll(startApi);

  const count = async (server: TestServer, sql: string) => Number((await server.query<{ n: string }>(sql))[0]!.n);

  test('deletes dead sessions, expired tokens, codes and revocations; keeps live ones and the audit log', async ({ server }) => {
    const live = await registerUser(server.url);
    const expired = await registerUser(server.url);
    const revoked = await registerUser(server.url);
    const recentlyRevoked = await registerUser(server.url);
    await server.query(`update sessions set expires_at = now() - ${DAY} where user_id = '${expired.user.id}'`);
    await server.query(`update sessions set revoked_at = now() - ${DAY} where user_id = '${revoked.user.id}'`);
    expect((await request(server.url, 'POST', '/api/auth/logout-all', { headers: bearer(recentlyRevoked.accessToken) })).status).toBe(204);

    await server.query(`insert into one_time_tokens (user_id, purpose, token_hash, expires_at) values
      ('${live.user.id}', 'password_reset', 'old', now() - ${DAY}),
      ('${live.user.id}', 'password_reset', 'fresh', now() + interval '1 hour')`);
    await server.query(`insert into mfa_challenges (user_id, token_hash, expires_at) values
      ('${live.user.id}', 'old', now() - ${DAY}),
      ('${live.user.id}', 'fresh', now() + interval '5 minutes')`);
    await server.query(`insert into revocations (kind, subject, expires_at) values
      ('session', '${live.user.id}', now() - interval '1 second'),
      ('user', '${live.user.id}', now() + interval '10 minutes')`);
    await server.query(`delete from mail_messages`);
    await server.query(`insert into mail_messages ("to", subject, text, html, created_at, sent_at, attempts) values
      ('a@example.com', 'delivered long ago', 'x', 'x', now() - ${DAY}, now() - ${DAY}, 1),
      ('a@example.com', 'given up long ago', 'x', 'x', now() - ${DAY}, null, 8),
      ('a@example.com', 'delivered today', 'x', 'x', now(), now(), 1),
      ('a@example.com', 'still retrying', 'x', 'x', now() - ${DAY}, null, 3)`);
    const auditBefore = await count(server, 'select count(*) as n from audit_events');

    const report = await runCleanup(server.ctx.db, server.ctx.config);
    expect(report).toMatchObject({ ran: true, sessions: 2, oneTimeTokens: 1, mfaChallenges: 1, revocations: 1, mailMessages: 2, auditEvents: 0 });
    expect((await server.query<{ subject: string }>('select subject from mail_messages order by subject')).map((m) => m.subject)).toEqual([
      'delivered today',
      'still retrying',
    ]);

    const sessionsLeft = await server.query<{ user_id: string }>('select user_id from sessions');
    expect(sessionsLeft.map((s) => s.user_id).sort()).toEqual([live.user.id, recentlyRevoked.user.id].sort());
    // Refresh tokens went with their sessions.
    expect(await count(server, `select count(*) as n from refresh_tokens where session_id not in (select id from sessions)`)).toBe(0);
    expect(await count(server, `select count(*) as n from refresh_tokens`)).toBe(2);
    expect(
      (await server.query<{ token_hash: string }>("select token_hash from one_time_tokens where token_hash in ('old', 'fresh')")).map((r) => r.token_hash),
    ).toEqual(['fresh']);
    expect((await server.query<{ token_hash: string }>('select token_hash from mfa_challenges')).map((r) => r.token_hash)).toEqual(['fresh']);
    expect((await server.query<{ kind: string }>('select kind from revocations')).map((r) => r.kind)).toContain('user');
    expect(await count(server, `select count(*) as n from revocations where expires_at < now()`)).toBe(0);
    expect(await count(server, 'select count(*) as n from audit_events')).toBe(auditBefore);

    // The survivor still works.
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(live.accessToken) })).status).toBe(200);
  });

  test('trims the audit log only when AUDIT_RETENTION is set', async ({ server }) => {
    await server.query(`insert into audit_events (type, created_at) values ('login.failed', now() - interval '400 days')`);
    expect((await runCleanup(server.ctx.db, { ...server.ctx.config, AUDIT_RETENTION: null })).auditEvents).toBe(0);
    expect((await runCleanup(server.ctx.db, { ...server.ctx.config, AUDIT_RETENTION: 365 * 86_400_000 })).auditEvents).toBe(1);
    expect(await count(server, `select count(*) as n from audit_events where created_at < now() - interval '365 days'`)).toBe(0);
  });

  test('runs on one instance at a time (advisory lock)', async ({ server }) => {
    if (server.ctx.database.kind !== 'postgres') return; // PGlite has one connection and one process
    // Hold the job's lock from another transaction: this round must skip, not wait or double up.
    const held = server.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(7117003)`);
      const report = await runCleanup(server.ctx.db, server.ctx.config);
      expect(report.ran).toBe(false);
    });
    await held;
    expect((await runCleanup(server.ctx.db, server.ctx.config)).ran).toBe(true);
  });
});
