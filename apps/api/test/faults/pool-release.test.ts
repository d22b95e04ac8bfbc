import { EventEmitter } from 'node:events';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { discardDeadConnections } from '../../src/db/client.js';

/**
 * db/client.ts guards the pg pool: a connection that ends while checked out is given back once.
 * pg-pool itself releases a client in the same tick as 'acquire' when the caller's wait had
 * already timed out (a busy machine). The guard used to mark the client checked out a microtask
 * later, so that client's later 'end' released it a second time, and pg-pool throws on that from
 * inside an event listener: an uncaught exception. Here the pool's own sequence is replayed on a
 * real pg.Pool (no server needed): acquire, pg-pool's release-once, its 'release' event.
 */
function fakeClient() {
  const client = new EventEmitter() as EventEmitter & { query: () => Promise<void>; release: (error?: Error | boolean) => void };
  client.query = () => Promise.resolve();
  return client;
}

/** pg-pool's _acquireClient: emit 'acquire', then assign a release that throws when called twice. */
function acquire(pool: pg.Pool, client: ReturnType<typeof fakeClient>) {
  pool.emit('acquire', client);
  let released = false;
  client.release = (error?: Error | boolean) => {
    if (released) throw new Error('Release called on client which has already been released to the pool.');
    released = true;
    pool.emit('release', error, client);
  };
}

describe('the pool guard', () => {
  it('does not release again a client that pg-pool released in the tick it was acquired (a timed-out wait)', async () => {
    const pool = new pg.Pool();
    discardDeadConnections(pool);
    const client = fakeClient();
    pool.emit('connect', client);
    acquire(pool, client);
    client.release(); // pg-pool: pendingItem.timedOut → client.release() at once
    await Promise.resolve();
    await Promise.resolve();
    expect(() => client.emit('end')).not.toThrow();
    expect(() => client.release()).not.toThrow();
    await pool.end();
  });

  it('gives back once a client whose connection ends while checked out, and the caller’s own release after that is a no-op', async () => {
    const pool = new pg.Pool();
    discardDeadConnections(pool);
    const client = fakeClient();
    const releases: unknown[] = [];
    pool.on('release', (error) => releases.push(error));
    pool.emit('connect', client);
    acquire(pool, client);
    await Promise.resolve();
    client.emit('end');
    expect(releases).toHaveLength(1);
    expect(String(releases[0])).toMatch(/connection lost/);
    expect(() => client.release()).not.toThrow();
    expect(releases).toHaveLength(1);
    await pool.end();
  });
});
