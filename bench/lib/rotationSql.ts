/**
 * The raw ceiling for POST /api/auth/refresh: the statement one rotation issues (the common case,
 * a live token's first use: apps/api/src/services/refreshFirstUse.ts, imported, so it is exactly
 * the API's text) sent by a bare `pg` pool with no HTTP and no JSON, one chain of tokens per
 * client as the bench's refresh clients do. A named prepared statement under the API's own name,
 * as the API sends it. Only meaningful on PostgreSQL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { statementName } from '../../apps/api/src/db/namedStatement.js';
import { FIRST_USE_LABEL, firstUseStatement } from '../../apps/api/src/services/refreshFirstUse.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const dialect = new PgDialect();
const IDLE_MS = 7 * 86_400_000;
let pool: pg.Pool | undefined;

async function rotate(client: pg.PoolClient, presented: string): Promise<string> {
  const successor = randomBytes(32).toString('base64url');
  const now = new Date();
  const query = dialect.sqlToQuery(
    firstUseStatement({
      presentedHash: sha256(presented),
      successorHash: sha256(successor),
      now,
      idleExpiry: new Date(now.getTime() + IDLE_MS),
      ip: '127.0.0.1',
    }),
  );
  const { rows } = await client.query({ name: statementName(FIRST_USE_LABEL, query.sql), text: query.sql, values: query.params });
  if (rows.length !== 1) throw new Error('the rotation statement rotated nothing');
  return successor;
}

/** Rotations per second over `ms`, one chain per token, each chain on its own pooled client; `tokens` are each chain's last. */
export async function rotationSqlRate(
  databaseUrl: string,
  tokens: string[],
  ms: number,
  poolSize: number,
): Promise<{ rate: number; p50: number; p99: number; tokens: string[] }> {
  // One pool for the process's life, connected before the clock starts, as the API's is: its
  // backends then live through every round, so the machine's CPU split (machineCpu.ts) sees them.
  pool ??= new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const open = await Promise.all(Array.from({ length: Math.min(poolSize, tokens.length) }, () => pool!.connect()));
  for (const client of open) client.release();
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + ms;
  const next = [...tokens];
  await Promise.all(
    tokens.map(async (first, i) => {
      let presented = first;
      while (performance.now() < end) {
        const t0 = performance.now();
        const client = await pool!.connect();
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
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rate: latencies.length / ((performance.now() - started) / 1000), p50: at(0.5), p99: at(0.99), tokens: next };
}
