import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { firstConnection, isTransientConnectError } from '../../src/db/firstConnection.js';
import { freePort } from '@portcullis/testing/ports';

/**
 * A start waits for PostgreSQL instead of exiting on the first refused or slow connection
 * (db/firstConnection.ts): CI once lost an API process that took over the pool's 3 s to connect at
 * start-up on a busy machine ("Connection terminated due to connection timeout").
 */
describe.skipIf(!process.env.DATABASE_URL)('the start-up connection to PostgreSQL (needs DATABASE_URL)', () => {
  const target = new URL(process.env.DATABASE_URL ?? 'postgres://localhost');
  const poolOn = (port: number, database = target.pathname.slice(1)) =>
    new pg.Pool({ host: '127.0.0.1', port, user: target.username || 'postgres', database, max: 1, connectionTimeoutMillis: 3_000 });

  it('keeps trying while nothing answers, and connects once PostgreSQL does', async () => {
    const port = await freePort();
    const pool = poolOn(port);
    // Nothing listens on the port for the first second; then a proxy to the real server does.
    let proxy: net.Server | undefined;
    const opening = new Promise<void>((resolve) =>
      setTimeout(() => {
        proxy = net.createServer((socket) => {
          const upstream = net.connect(Number(target.port || 5432), target.hostname);
          socket.pipe(upstream).pipe(socket);
          socket.on('error', () => upstream.destroy());
          upstream.on('error', () => socket.destroy());
        });
        proxy.listen(port, '127.0.0.1', () => resolve());
      }, 1_000),
    );
    try {
      const client = await firstConnection(pool, 60_000);
      expect((await client.query('select 1 as one')).rows[0]).toEqual({ one: 1 });
      client.release();
    } finally {
      await opening;
      await pool.end();
      proxy?.close();
    }
  });

  it('gives up when its time is over, with the last error', async () => {
    const pool = poolOn(await freePort());
    try {
      await expect(firstConnection(pool, 1_000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await pool.end();
    }
  });

  it('fails at once on what waiting cannot cure (a database that does not exist)', async () => {
    const pool = poolOn(Number(target.port || 5432), 'no_such_database_here');
    const started = Date.now();
    try {
      await expect(firstConnection(pool, 60_000)).rejects.toMatchObject({ code: '3D000' });
      // Far below the 60 s it was given: it did not retry.
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await pool.end();
    }
  });
});

describe('which refusals are retried at start-up', () => {
  it('tells transient refusals from lasting ones', () => {
    expect(isTransientConnectError(new Error('Connection terminated due to connection timeout'))).toBe(true);
    expect(isTransientConnectError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientConnectError(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isTransientConnectError(Object.assign(new Error('password authentication failed'), { code: '28P01' }))).toBe(false);
    expect(isTransientConnectError(Object.assign(new Error('database "x" does not exist'), { code: '3D000' }))).toBe(false);
  });
});
