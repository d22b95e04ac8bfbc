import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer as startApiServer, type RunningServer } from '../../src/server.js';
import { CORE_ENV, decodeJwt } from '@portcullis/testing/core';
import { bearer, cookieValue, registerUser, request } from '@portcullis/testing/http';
import { startServer, TEST_SECRET_KEY } from '@portcullis/testing/server';

/** A restart keeps users, sessions, signing keys and revocations. */

async function restartScenario(start: () => Promise<{ url: string; close(): Promise<void> }>) {
  let running = await start();
  const alice = await registerUser(running.url);
  const bob = await registerUser(running.url);
  const loggedOut = await request(running.url, 'POST', '/api/auth/login', { body: { email: bob.email, password: bob.password } });
  expect(
    (await request(running.url, 'POST', '/api/auth/logout', { headers: { cookie: `refresh_token=${cookieValue(loggedOut.cookies, 'refresh_token')}` } }))
      .status,
  ).toBe(204);
  const kid = decodeJwt(alice.accessToken).header.kid;
  await running.close();

  running = await start();
  try {
    // The session and its refresh token survived; so did the signing key.
    const refreshed = await request(running.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${alice.refreshToken}` } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user.id).toBe(alice.user.id);
    expect(decodeJwt(refreshed.body.accessToken).header.kid).toBe(kid);
    expect((await request(running.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) })).status).toBe(200);
    // The user survived: login works.
    const login = await request(running.url, 'POST', '/api/auth/login', { body: { email: alice.email, password: alice.password } });
    expect(login.status).toBe(200);
    // A revocation made before the restart is still enforced after it (loaded at start).
    const revoked = await request(running.url, 'GET', '/api/auth/me', { headers: bearer(loggedOut.body.accessToken) });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('INVALID_TOKEN');
    expect((await request(running.url, 'GET', '/api/auth/me', { headers: bearer(bob.accessToken) })).status).toBe(200);
  } finally {
    await running.close();
  }
}

describe('restart', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps users and sessions in the embedded PGlite on disk (DATA_DIR)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'portcullis-data-'));
    dirs.push(dataDir);
    // Always PGlite, whatever DATABASE_URL the suite runs with: this is the embedded database's test.
    const env = { ...CORE_ENV, NODE_ENV: 'test', LOG_LEVEL: 'silent', SECRET_KEY: TEST_SECRET_KEY, DATA_DIR: dataDir, JWT_ISSUER: 'http://portcullis.test' };
    await restartScenario(async (): Promise<RunningServer> => startApiServer(loadConfig(env), { port: 0, host: '127.0.0.1' }));
  });

  // The same on a real PostgreSQL: the harness makes a fresh database, then two instances start
  // one after the other on it (startServer with the same env reuses the database).
  it.skipIf(!process.env.DATABASE_URL)('keeps users and sessions on PostgreSQL', async () => {
    const owner = await startServer({ ...CORE_ENV });
    try {
      await restartScenario(() => startServer(owner.env));
    } finally {
      await owner.close();
    }
  });

  // Several instances starting at once on an empty database: migrations and the first signing key
  // happen once, under advisory locks, and every instance comes up.
  it.skipIf(!process.env.DATABASE_URL)('starts three instances at once on an empty PostgreSQL database', async () => {
    const base = process.env.DATABASE_URL!;
    const name = `portcullis_race_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const servers: Awaited<ReturnType<typeof startServer>>[] = [];
    try {
      const started = await Promise.allSettled([1, 2, 3].map(() => startServer({ ...CORE_ENV, DATABASE_URL: url.toString() })));
      for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
      expect(started.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const migrations = readdirSync(path.resolve(import.meta.dirname, '../../drizzle')).filter((f) => f.endsWith('.sql'));
      const applied = await servers[0]!.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect(applied[0]!.n).toBe(migrations.length);
      const active = await servers[0]!.query<{ kid: string }>('select kid from signing_keys where retired_at is null');
      expect(active).toHaveLength(1);
      // A token from one instance is accepted by the others.
      const alice = await registerUser(servers[0]!.url);
      for (const s of servers) expect((await request(s.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) })).status).toBe(200);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
