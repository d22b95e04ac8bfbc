import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Config } from '../config.js';
import { lockDataDir } from './dataDirLock.js';
import { firstConnection } from './firstConnection.js';
import { MIGRATIONS, migrationsApplied } from './migrations.js';
import type * as schema from './schema.js';

// The drivers, Drizzle's and the schema are imported when a database is opened, not with this
// module: main.ts starts opening the embedded database before the rest of the API has loaded, so
// PGlite starts as soon as its own module is in (issue 17), and only one driver is ever loaded.

/** The one data-access type: Drizzle over PostgreSQL, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  kind: 'postgres' | 'pglite';
  db: Db;
  /** The connection string when on a real server (for LISTEN/NOTIFY); undefined on PGlite. */
  url?: string;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The connection pool's state (PostgreSQL only), for the metrics. */
  pool?: () => { total: number; idle: number; waiting: number };
  /** How long opening took, in ms: the database itself, then the migrations check (logged at start-up). */
  openedIn: { openMs: number; migrationsMs: number };
}

/** Any constant: every instance asks PostgreSQL for the same advisory lock around migrations. */
const MIGRATION_LOCK_ID = 7_117_001;
const QUERY_TIMEOUT_MS = 5_000;
const PING_TIMEOUT_MS = 750;

/** What openDatabase needs from the configuration (server.ts and main.ts, which opens it early). */
export function databaseOptions(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_POOL_SIZE'>) {
  return { url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE };
}

/**
 * `template` (tests only): a dump of an already initialised embedded database (PGlite's
 * dumpDataDir) that a `memory://` database starts from, instead of running initdb again.
 */
export async function openDatabase(options: { url?: string; dataDir: string; poolSize: number; template?: Blob }): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize) : openPglite(options.dataDir, options.template);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }, schema] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
    import('./schema.js'),
  ]);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Fail fast instead of hanging when the server is gone or frozen: the API answers 503 and
    // retries later. Every wait is bounded: a connection (or a place in the full pool) within
    // 3 s, an answer within 5 s on our side (query_timeout) and the server's (statement_timeout,
    // which also stops the work of a query whose client gave up), and no transaction left idle.
    connectionTimeoutMillis: 3_000,
    query_timeout: QUERY_TIMEOUT_MS,
    statement_timeout: QUERY_TIMEOUT_MS,
    idle_in_transaction_session_timeout: 2 * QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  discardDeadConnections(pool);
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;

  const started = performance.now();
  // Retried for a while: a start is not a request that can be answered 503 (firstConnection.ts).
  const client = await firstConnection(pool);
  const connected = performance.now();
  try {
    // Up to date (every start but the first after an upgrade): nothing to lock for. Otherwise the
    // migrator checks again under the lock, so that of several instances starting at once one migrates.
    if (!(await migrationsApplied(async (text) => (await client.query(text)).rows))) {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      try {
        await migratePg(drizzlePg({ client, schema }), { migrationsFolder: MIGRATIONS });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
      }
    }
  } finally {
    client.release();
  }

  return {
    kind: 'postgres',
    db,
    url,
    openedIn: { openMs: Math.round(connected - started), migrationsMs: Math.round(performance.now() - connected) },
    // Readiness asks with its own short bound, so that probes of a frozen server never pile up
    // holding pool connections for the full query timeout.
    ping: async () => {
      await pool.query({ text: 'select 1', query_timeout: PING_TIMEOUT_MS } as pg.QueryConfig);
    },
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

type GuardedClient = pg.PoolClient & { connection?: { stream?: { destroy(): void } }; checkedOut?: boolean };

/**
 * pg keeps a connection whose query timed out (a network partition: the server never answers) and
 * hands it out again, and Drizzle never releases a client whose `begin` failed. Either way the pool
 * fills with dead connections and every request hangs until it times out, long after the database
 * is back. So: a timed-out connection is destroyed, and a connection that dies while checked out is
 * given back (and thereby removed); release is made idempotent for the caller's own later release.
 */
export function discardDeadConnections(pool: pg.Pool): void {
  pool.on('connect', (raw) => {
    const client = raw as GuardedClient;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          if ((error as Error)?.message === 'Query read timeout') client.connection?.stream?.destroy();
        });
      }
      return result;
    }) as typeof client.query;
    // A checked-out client has no 'error' listener of the pool's: without this one, a connection
    // dying mid-request (terminated backend, partition) would be an uncaught error that ends the
    // process. The failure still reaches the query that was running, as a rejected promise.
    client.on('error', () => {});
    client.on('end', () => {
      if (client.checkedOut) client.release(new Error('connection lost'));
    });
  });
  // checkedOut follows the pool's own events, not our wrapper: pg-pool releases a client itself,
  // in the same tick as 'acquire', when the caller's wait for it had already timed out (a busy
  // machine). A flag set later would call that client checked out, and its 'end' would release it
  // a second time, which pg-pool throws on ("Release called on client which has already been released").
  pool.on('acquire', (raw) => {
    const client = raw as GuardedClient;
    client.checkedOut = true;
    // pg-pool assigns a fresh `release` right after this event; wrap it once that has happened.
    queueMicrotask(() => {
      const release = client.release;
      client.release = (error?: Error | boolean) => {
        if (!client.checkedOut) return;
        release(error);
      };
    });
  });
  pool.on('release', (_error: unknown, raw: pg.PoolClient) => {
    (raw as GuardedClient).checkedOut = false;
  });
}

async function openPglite(dataDir: string, template?: Blob): Promise<Database> {
  const started = performance.now();
  const { PGlite } = await import('@electric-sql/pglite');
  let client: PGlite;
  let unlock = () => {};
  if (dataDir === 'memory://') {
    // Migrations missing from the template are applied below like on any other database.
    client = new PGlite(template ? { loadDataDir: template } : {});
  } else {
    const dir = path.resolve(dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true });
    // One process at a time: a second one (the CLI beside a running server) is refused, not let in to corrupt it.
    unlock = lockDataDir(path.resolve(dataDir));
    client = new PGlite(dir);
  }
  // Drizzle and the schema load while PGlite starts (its WebAssembly compiles off the main thread).
  const drizzleLoaded = Promise.all([import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator'), import('./schema.js')]);
  try {
    await Promise.all([client.waitReady, drizzleLoaded]);
  } catch (error) {
    // waitReady's failure is the one to report; the other is awaited so that it cannot go unhandled.
    await Promise.allSettled([client.waitReady, drizzleLoaded]);
    unlock();
    throw error;
  }
  const opened = performance.now();
  const [{ drizzle: drizzlePglite }, { migrate: migratePglite }, schema] = await drizzleLoaded;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  // PGlite lives in this process alone, so there is no other instance to race with.
  if (!(await migrationsApplied(async (text) => (await client.query<Record<string, unknown>>(text)).rows))) {
    await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: MIGRATIONS });
  }
  return {
    kind: 'pglite',
    db,
    openedIn: { openMs: Math.round(opened - started), migrationsMs: Math.round(performance.now() - opened) },
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      await client.close();
      unlock();
    },
  };
}
