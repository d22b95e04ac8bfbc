/**
 * The raw ceiling for POST /api/auth/refresh: the statements one rotation issues
 * (services/sessions.ts rotateRefreshToken, first-use branch) sent by a bare `pg` pool with no
 * HTTP, no ORM and no JSON, one chain of tokens per client as the bench's refresh clients do.
 * Unnamed statements, as drizzle sends them. Only meaningful on PostgreSQL.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function rotate(client: pg.PoolClient, presented: string): Promise<string> {
  const hash = sha256(presented);
  await client.query('begin');
  try {
    const found = await client.query('select session_id from refresh_tokens where token_hash = $1', [hash]);
    const sessionId = found.rows[0].session_id as string;
    const session = (await client.query('select * from sessions where id = $1 for update', [sessionId])).rows[0];
    const token = (await client.query('select * from refresh_tokens where token_hash = $1', [hash])).rows[0];
    const now = new Date();
    const idleExpiry = new Date(Math.min(now.getTime() + 7 * 86_400_000, session.absolute_expires_at.getTime()));
    const successor = randomBytes(32).toString('base64url');
    await client.query('update refresh_tokens set rotated_at = $1 where id = $2', [now, token.id]);
    await client.query('insert into refresh_tokens (session_id, token_hash, parent_id, expires_at) values ($1, $2, $3, $4)', [
      session.id,
      sha256(successor),
      token.id,
      idleExpiry,
    ]);
    await client.query('update sessions set last_active_at = $1, expires_at = $2, ip = $3 where id = $4', [now, idleExpiry, session.ip, session.id]);
    await client.query('select * from users where id = $1', [session.user_id]);
    await client.query('commit');
    return successor;
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/** Rotations per second over `ms`, one chain per token, each chain on its own pooled client; `tokens` are each chain's last. */
export async function rotationSqlRate(
  databaseUrl: string,
  tokens: string[],
  ms: number,
  poolSize: number,
): Promise<{ rate: number; p50: number; p99: number; tokens: string[] }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + ms;
  const next = [...tokens];
  try {
    await Promise.all(
      tokens.map(async (first, i) => {
        let presented = first;
        while (performance.now() < end) {
          const t0 = performance.now();
          const client = await pool.connect();
          try {
            presented = await rotate(client, presented);
          } finally {
            client.release();
          }
          latencies.push(performance.now() - t0);
          next[i] = presented;
        }
      }),
    );
  } finally {
    await pool.end();
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rate: latencies.length / ((performance.now() - started) / 1000), p50: at(0.5), p99: at(0.99), tokens: next };
}
