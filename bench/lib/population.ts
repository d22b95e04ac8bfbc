/**
 * Rows for the memory rows of the bench, written straight into the API's database by the
 * process that runs the API (bench/lib/targets.ts): users and live sessions in bulk, one
 * statement each, and an access token per session so that the bench can check each one once
 * through GET /api/auth/me (what keeps a session's user in the API's memory, if anything does).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../apps/api/src/context.js';
import { issueAccessToken } from '../../apps/api/src/services/accessTokens.js';

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** What the process holds after two collections, and what the database holds on disk. */
export async function footprint(ctx: AppContext): Promise<{ rssBytes: number; heapBytes: number; databaseBytes: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 2; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const [size] = rowsOf<{ bytes: string | number }>(await ctx.db.execute(sql`select pg_database_size(current_database()) as bytes`));
  const { rss, heapUsed } = process.memoryUsage();
  return { rssBytes: rss, heapBytes: heapUsed, databaseBytes: Number(size?.bytes ?? NaN) };
}

/** `count` users (distinct addresses for this run), in one statement. */
export async function seedUsers(ctx: AppContext, count: number): Promise<string> {
  const tag = randomBytes(4).toString('hex');
  await ctx.db.execute(sql`
    insert into users (email, email_normalized, display_name, password_hash)
    select 'mem-' || ${tag}::text || '-' || g || '@example.com', 'mem-' || ${tag}::text || '-' || g || '@example.com', 'Member ' || g, 'not-a-hash'
    from generate_series(1, ${count}::int) g`);
  return tag;
}

/** One live session (and its refresh token) for `count` of the users seeded with `tag`; an access token for each. */
export async function seedSessions(ctx: AppContext, tag: string, count: number): Promise<string[]> {
  const ttl = `${Math.round(ctx.config.JWT_REFRESH_TTL / 1000)} seconds`;
  const created = rowsOf<{ id: string; user_id: string }>(
    await ctx.db.execute(sql`
      with chosen as (
        select id from users where email_normalized like ${`mem-${tag}-%`} order by id limit ${count}::int
      ), made as (
        insert into sessions (user_id, ip, user_agent, device, expires_at, absolute_expires_at, amr)
        select id, '127.0.0.1', 'bench', 'bench', now() + ${ttl}::interval, now() + ${ttl}::interval, array['pwd'] from chosen
        returning id, user_id, expires_at
      ), tokens as (
        insert into refresh_tokens (session_id, token_hash, expires_at)
        select id, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), expires_at from made
      )
      select id, user_id from made`),
  );
  // Signed 100 at a time: the signatures are asynchronous jobs, and one by one the waits add up.
  const tokens: string[] = [];
  for (let i = 0; i < created.length; i += 100) {
    const batch = created.slice(i, i + 100).map((s) => issueAccessToken(ctx.tokens, { userId: s.user_id, sessionId: s.id, role: 'user', amr: ['pwd'] }));
    for (const issued of await Promise.all(batch)) tokens.push(issued.accessToken);
  }
  return tokens;
}
