import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_ENV, findCookie, sleep } from '@portcullis/testing/core';
import { bearer, registerUser, request, type JsonResponse } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';

/**
 * When the database cannot be reached the API answers 503 SERVICE_UNAVAILABLE quickly (never a
 * hang, never a 500) and recovers by itself. The API talks to a fresh PostgreSQL database through
 * a TCP proxy that the test can cut (connections refused), black-hole (connections that never
 * answer) and restore, without touching the shared PostgreSQL server.
 *
 * Skipped without DATABASE_URL: the embedded PGlite lives inside the process and cannot become
 * unreachable.
 */

class TcpProxy {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  /** `forward`: a working link; `blackhole`: accepts connections and never answers. */
  async start(mode: 'forward' | 'blackhole' = 'forward'): Promise<void> {
    const server = net.createServer((client) => {
      this.track(client);
      if (mode === 'blackhole') return;
      const upstream = net.connect(this.target.port, this.target.host);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Open connections stop carrying data and new ones are never answered: a network partition. */
  async freeze(): Promise<void> {
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
    }
    // Stop accepting without waiting for the frozen connections to end (they never will).
    this.server?.close();
    this.server = undefined;
    const blackhole = net.createServer((client) => this.track(client));
    await new Promise<void>((resolve) => blackhole.listen(this.port, '127.0.0.1', () => resolve()));
    this.server = blackhole;
  }

  /** Stops listening and cuts every open connection: the database is gone. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: net.Socket) {
    this.sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
  }
}

const base = process.env.DATABASE_URL;

describe.skipIf(!base)('database outage', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let dbName: string;

  beforeAll(async () => {
    const target = new URL(base!);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    dbName = `portcullis_outage_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const viaProxy = new URL(base!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    viaProxy.pathname = `/${dbName}`;
    server = await startServer({ ...CORE_ENV, DATABASE_URL: viaProxy.toString() });
  });

  afterAll(async () => {
    await server?.close();
    await proxy?.stop();
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  });

  /** Every database-backed endpoint answers 503 in the error shape, within a few seconds. */
  async function expectUnavailable(alice: Awaited<ReturnType<typeof registerUser>>, limitMs: number, only?: string[]) {
    const calls: [string, () => Promise<JsonResponse>][] = [
      ['login', () => request(server.url, 'POST', '/api/auth/login', { body: { email: alice.email, password: alice.password } })],
      [
        'register',
        () => request(server.url, 'POST', '/api/auth/register', { body: { email: `x${Date.now()}@example.com`, password: alice.password, displayName: 'X' } }),
      ],
      ['refresh', () => request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${alice.refreshToken}` } })],
      ['sessions', () => request(server.url, 'GET', '/api/auth/sessions', { headers: bearer(alice.accessToken) })],
    ];
    for (const [name, call] of calls.filter(([name]) => !only || only.includes(name))) {
      const started = Date.now();
      const res = await call();
      expect(res.status, name).toBe(503);
      expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
      expect(Date.now() - started, `${name} answered in time`).toBeLessThan(limitMs);
      // A refresh that could not be checked does not log the browser out.
      if (name === 'refresh') expect(findCookie(res.cookies, 'refresh_token')).toBeUndefined();
    }
    const ready = await request(server.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.database).toBe('unavailable');
    // What needs no database keeps working.
    expect((await request(server.url, 'GET', '/healthz')).status).toBe(200);
    expect((await request(server.url, 'GET', '/.well-known/jwks.json')).status).toBe(200);
  }

  async function expectRecovered(alice: Awaited<ReturnType<typeof registerUser>>) {
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await request(server.url, 'POST', '/api/auth/login', { body: { email: alice.email, password: alice.password } })).status;
      expect([200, 503]).toContain(status);
      if (status !== 200) await sleep(250);
    }
    expect(status).toBe(200);
    expect((await request(server.url, 'GET', '/readyz')).status).toBe(200);
  }

  it('answers 503 when connections are refused, and recovers when the database is back', async () => {
    const alice = await registerUser(server.url);
    await proxy.stop();
    await expectUnavailable(alice, 5_000);
    await proxy.start();
    await expectRecovered(alice);
  });

  it('answers 503 within a few seconds when the database does not answer at all, and recovers', async () => {
    const alice = await registerUser(server.url);
    await proxy.stop();
    await proxy.start('blackhole');
    // Each call waits out the connection timeout, so two endpoints stand for all here.
    await expectUnavailable(alice, 6_000, ['login', 'refresh']);
    await proxy.stop();
    await proxy.start();
    await expectRecovered(alice);
  });

  it('answers 503 within a few seconds when open connections stop answering (a partition), and recovers', async () => {
    const alice = await registerUser(server.url);
    // Warm the pool so that requests find idle connections that will hang.
    await Promise.all([1, 2, 3].map(() => request(server.url, 'GET', '/api/auth/sessions', { headers: bearer(alice.accessToken) })));
    await proxy.freeze();
    await expectUnavailable(alice, 6_000, ['login', 'refresh']);
    await proxy.stop();
    await proxy.start();
    await expectRecovered(alice);
  });

  it('refuses a token naming an unknown key as invalid, and keeps /healthz up, when the key ring cannot reload', async () => {
    const alice = await registerUser(server.url);
    const [h, p, sig] = alice.accessToken.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const unknownKid = `${Buffer.from(JSON.stringify({ ...header, kid: randomBytes(32).toString('base64url') })).toString('base64url')}.${p}.${sig}`;
    // A well-formed unknown kid makes the ring re-read the database (at most about once a second).
    await sleep(1_100);
    await proxy.stop();
    try {
      const health = await request(server.url, 'GET', '/healthz', { headers: bearer(unknownKid) });
      expect(health.status).toBe(200);
      const me = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(unknownKid) });
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('INVALID_TOKEN');
    } finally {
      await proxy.start();
    }
    await expectRecovered(alice);
  });

  it('survives its connections being terminated by the server, never answering 500', async () => {
    const alice = await registerUser(server.url);
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
    await admin.end();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await request(server.url, 'POST', '/api/auth/login', { body: { email: alice.email, password: alice.password } })).status);
    }
    for (const s of statuses) expect([200, 503]).toContain(s);
    expect(statuses.at(-1)).toBe(200);
  });
});

// Redis is only configured next to PostgreSQL; run with it, to spare the PGlite run a server start.
describe.skipIf(!base)('Redis outage', () => {
  it('keeps /readyz at 200, reporting Redis as degraded, when the configured Redis does not answer while the database does', async () => {
    // Nothing listens on port 1: Redis is configured but unreachable.
    const server = await startServer({ ...CORE_ENV, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const started = Date.now();
      const res = await request(server.url, 'GET', '/readyz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'degraded', checks: { database: 'ok', redis: 'degraded' } });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await request(server.url, 'GET', '/healthz')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

/** The errors pg raises for a lost connection, as they reach the error handler (wrapped by Drizzle). */
describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a terminated backend', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a query on a dead client (the rollback after a lost connection)', new Error('Client has encountered a connection error and is not queryable')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    ['a query that never returns', new Error('Query read timeout')],
  ])('recognises %s, also when wrapped', async (_name, cause) => {
    const { isDatabaseUnavailable } = await import('../../src/http/middleware/errorHandler.js');
    expect(isDatabaseUnavailable(cause)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('Failed query: select 1'), { cause }))).toBe(true);
  });

  it('does not take a programming error for an outage', async () => {
    const { isDatabaseUnavailable } = await import('../../src/http/middleware/errorHandler.js');
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});
