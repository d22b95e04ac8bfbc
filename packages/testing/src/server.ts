import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { loadConfig } from '@portcullis/api/src/config.js';
import type { AppContext } from '@portcullis/api/src/context.js';
import { databaseOptions, openDatabase } from '@portcullis/api/src/db/client.js';
import { startServer as startApiServer } from '@portcullis/api/src/server.js';
import { loadTemplate } from './pgliteTemplate.js';

/**
 * A real API server on a random loopback port with a database of its own: a fresh in-memory
 * PGlite by default, or a fresh database on the PostgreSQL server named by DATABASE_URL (and the
 * Redis of REDIS_URL) when those are set. Nothing is mocked.
 */
export interface TestServer {
  url: string;
  ctx: AppContext;
  /** The Node HTTP server itself, for tests of its timers and connection handling. */
  http: Server;
  /**
   * Real SQL against the server's own database, for assertions and for setting up states no endpoint
   * makes. A write here bypasses the services, so the server's identity cache is dropped after it,
   * as an operator who edits rows by hand must (services/identityCache.ts).
   */
  query<T = Record<string, unknown>>(text: string): Promise<T[]>;
  /** `/metrics` on its own listener when the server was started with METRICS_PORT. */
  metricsUrl: string | undefined;
  /** The environment the server was started with (to start a second instance on the same database). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const TEST_SECRET_KEY = 'test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz';

export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = env.DATABASE_URL ? undefined : await freshDatabase();
  const fullEnv: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SECRET_KEY: TEST_SECRET_KEY,
    DATA_DIR: 'memory://',
    JWT_ISSUER: 'http://portcullis.test',
    // Test files register and sign in many people from 127.0.0.1: per-address limits are generous
    // here, and the rate-limit tests set the contract's numbers explicitly. Per-account limits keep
    // their defaults.
    RATE_LIMIT_LOGIN_PER_IP: '100000/1m',
    RATE_LIMIT_REGISTER_PER_IP: '100000/1h',
    RATE_LIMIT_PASSWORD_FORGOT_PER_IP: '100000/1h',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  };
  const config = loadConfig(fullEnv);
  // An embedded database starts from the migrated template of this run (pgliteTemplate.ts), not from initdb.
  const template = config.DATABASE_URL || config.DATA_DIR !== 'memory://' ? undefined : loadTemplate();
  const opening = template ? openDatabase({ ...databaseOptions(config), template }) : undefined;
  const running = await startApiServer(config, { port: 0, host: '127.0.0.1', database: opening });
  return {
    url: running.url,
    ctx: running.ctx,
    http: running.server,
    metricsUrl: running.metricsUrl,
    env: fullEnv,
    async query<T>(text: string) {
      const result = (await running.ctx.db.execute(sql.raw(text))) as unknown as { rows: T[] };
      // Reads leave it: a test's assertion must not hide a stale entry.
      if (!/^\s*(select\b|with\b)/i.test(text)) running.ctx.identities.clear();
      return result.rows;
    },
    async close() {
      await running.close();
      await database?.drop();
    },
  };
}

/** A new empty database on the server of DATABASE_URL, dropped again by close(). */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const base = process.env.DATABASE_URL;
  if (!base) return undefined;
  const name = `portcullis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
