import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { decodeProtectedHeader } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, cookieValue, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { TEST_SECRET_KEY } from '@portcullis/testing/server';
import { freePort } from '@portcullis/testing/ports';

/**
 * Two real API processes (`node --import tsx apps/api/src/main.ts`) on one fresh PostgreSQL
 * database and one Redis, as behind a load balancer. Needs a PostgreSQL server: the embedded
 * database can be opened by one process only, so without DATABASE_URL there is nothing to share.
 */

const BASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MIGRATIONS = readdirSync(fileURLToPath(new URL('../../drizzle', import.meta.url))).filter((f) => f.endsWith('.sql')).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Instance {
  url: string;
  child: ChildProcess;
  output: string[];
}

function spawnInstance(env: Record<string, string>, port: number, entry = 'apps/api/src/main.ts'): Instance {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  return { url: `http://127.0.0.1:${port}`, child, output };
}

async function waitReady(instance: Instance) {
  for (let i = 0; i < 600; i++) {
    if (instance.child.exitCode !== null) throw new Error(`instance exited: ${instance.output.join('')}`);
    try {
      if ((await fetch(`${instance.url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`instance not ready: ${instance.output.join('')}`);
}

async function stopInstance(instance: Instance) {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise((r) => instance.child.once('exit', r));
  instance.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
}

describe.skipIf(!BASE_URL)('several API instances on one database (needs DATABASE_URL: PGlite is one process only)', () => {
  const dbName = `portcullis_multi_${randomBytes(5).toString('hex')}`;
  let db: pg.Client;
  let a: Instance;
  let b: Instance;
  let instanceEnv: Record<string, string>;

  const sql = async <T = Record<string, unknown>>(text: string) => (await db.query(text)).rows as T[];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(BASE_URL!);
    url.pathname = `/${dbName}`;
    db = new pg.Client({ connectionString: url.toString() });

    const env: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url.toString(),
      SECRET_KEY: TEST_SECRET_KEY,
      // Instances of one deployment share the issuer (the default depends on PORT).
      JWT_ISSUER: 'http://portcullis.multi.test',
      RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '3/15m',
      RATE_LIMIT_LOGIN_PER_IP: '1000/1m',
      RATE_LIMIT_REGISTER_PER_IP: '1000/1h',
      // New keys sign shortly after a rotation here, so that the rotation test sees them in use.
      KEY_PREPUBLISH: '300ms',
      ...(REDIS_URL ? { REDIS_URL } : {}),
    };
    instanceEnv = env;
    const [portA, portB] = [await freePort(), await freePort()];
    // Both at once on an empty database: migrations and the first key must happen once.
    a = spawnInstance(env, portA);
    // The second spells the same database differently: instances must still agree they are one.
    const otherSpelling = new URL(url.toString().replace(/^postgres:/, 'postgresql:'));
    otherSpelling.searchParams.set('application_name', 'portcullis-b');
    b = spawnInstance({ ...env, DATABASE_URL: otherSpelling.toString() }, portB);
    await Promise.all([waitReady(a), waitReady(b)]);
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a && stopInstance(a), b && stopInstance(b)]);
    await db?.end().catch(() => {});
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  });

  it('both start at once without migration errors, and make one signing key', async () => {
    const logs = [...a.output, ...b.output].join('');
    expect(logs).not.toMatch(/"level":(50|60)|failed to start|already exists/i);
    expect(await sql(`select kid from signing_keys`)).toHaveLength(1);
    expect(await sql(`select id from drizzle.__drizzle_migrations`)).toHaveLength(MIGRATIONS);
    const [jwksA, jwksB] = await Promise.all([request(a.url, 'GET', '/.well-known/jwks.json'), request(b.url, 'GET', '/.well-known/jwks.json')]);
    expect(jwksA.body).toEqual(jwksB.body);
  });

  it('a logout on one instance refuses the access token on the other within a second', async () => {
    const alice = await registerUser(a.url, {}, { 'x-token-transport': 'body' });
    expect((await request(b.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) })).status).toBe(200);
    const out = await request(a.url, 'POST', '/api/auth/logout', { body: { refreshToken: alice.refreshToken } });
    expect(out.status).toBe(204);
    const loggedOutAt = Date.now();
    let refusedAfter: number | undefined;
    while (Date.now() - loggedOutAt < 2_000) {
      const me = await request(b.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) });
      if (me.status === 401) {
        expect(me.body.error.code).toBe('INVALID_TOKEN');
        refusedAfter = Date.now() - loggedOutAt;
        break;
      }
      await sleep(20);
    }
    expect(refusedAfter).toBeDefined();
    expect(refusedAfter!).toBeLessThan(1_000);
  });

  /** Polls `read` on an instance until `done` holds (bus latency only); fails after a second. */
  async function seenWithin(read: () => Promise<{ status: number; body: any }>, done: (r: { status: number; body: any }) => boolean) {
    const started = Date.now();
    for (;;) {
      const r = await read();
      if (done(r)) return Date.now() - started;
      if (Date.now() - started > 1_000) throw new Error(`still ${r.status} ${JSON.stringify(r.body)} after a second`);
      await sleep(10);
    }
  }

  it('no instance serves a stale user or a revoked session from its cache (/me, /session)', async () => {
    const webOrigin = { origin: 'http://localhost:3000' };
    const alice = await registerUser(a.url, { displayName: 'Alice' });
    const cookie = { cookie: `portcullis_session=${cookieValue(alice.cookies, 'portcullis_session')}` };
    const meOn =
      (inst: Instance, token = alice.accessToken) =>
      () =>
        request(inst.url, 'GET', '/api/auth/me', { headers: bearer(token) });
    const sessionOn = (inst: Instance) => () => request(inst.url, 'GET', '/api/auth/session', { headers: cookie });
    const warm = async () => {
      for (const read of [meOn(b), sessionOn(b), meOn(b), sessionOn(b)]) expect((await read()).status).toBe(200);
    };

    // B really answers from its cache: a row changed behind the services' back is not seen (until the TTL).
    await warm();
    await sql(`update users set display_name = 'Behind the back' where id = '${alice.user.id}'`);
    expect((await meOn(b)()).body.user.displayName).toBe('Alice');

    // A change through A reaches B's cache through the bus.
    expect((await request(a.url, 'PATCH', '/api/auth/me', { headers: bearer(alice.accessToken), body: { displayName: 'Alice B.' } })).status).toBe(200);
    await seenWithin(meOn(b), (r) => r.body.user?.displayName === 'Alice B.');
    await seenWithin(sessionOn(b), (r) => r.body.user?.displayName === 'Alice B.');

    // A role change (the CLI's and the admin endpoint's service) on A: B's /session shows it.
    await warm();
    const boss = await registerUser(a.url);
    await sql(`update users set role = 'admin' where id = '${boss.user.id}'`);
    const adminToken = (await request(a.url, 'POST', '/api/auth/login', { body: { email: boss.email, password: STRONG_PASSWORD } })).body.accessToken;
    const promoted = await request(a.url, 'PATCH', `/api/admin/users/${alice.user.id}`, { headers: bearer(adminToken), body: { role: 'moderator' } });
    expect(promoted.status).toBe(200);
    await seenWithin(sessionOn(b), (r) => r.body.user?.role === 'moderator');

    // Logout on A: B refuses the session cookie.
    await warm().catch(() => {});
    expect((await sessionOn(b)()).status).toBe(200);
    const out = await request(a.url, 'POST', '/api/auth/logout', { headers: { ...webOrigin, cookie: `refresh_token=${alice.refreshToken}` } });
    expect(out.status).toBe(204);
    await seenWithin(sessionOn(b), (r) => r.status === 401);

    // Deletion on A: B refuses both the session and the token of the deleted user.
    const bob = await registerUser(a.url, {}, {});
    const bobCookie = { cookie: `portcullis_session=${cookieValue(bob.cookies, 'portcullis_session')}` };
    const bobSession = () => request(b.url, 'GET', '/api/auth/session', { headers: bobCookie });
    for (let i = 0; i < 2; i++) {
      expect((await bobSession()).status).toBe(200);
      expect((await meOn(b, bob.accessToken)()).status).toBe(200);
    }
    const deleted = await request(a.url, 'DELETE', '/api/auth/me', { headers: bearer(bob.accessToken), body: { password: STRONG_PASSWORD } });
    expect(deleted.status).toBe(204);
    await seenWithin(bobSession, (r) => r.status === 401);
    await seenWithin(meOn(b, bob.accessToken), (r) => r.status === 401);
  });

  it('a role changed by the CLI, another process, is served at once by both instances', async () => {
    const carol = await registerUser(a.url);
    const cookie = { cookie: `portcullis_session=${cookieValue(carol.cookies, 'portcullis_session')}` };
    for (const inst of [a, b, a, b]) expect((await request(inst.url, 'GET', '/api/auth/session', { headers: cookie })).body.user.role).toBe('user');
    const cli = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/cli.ts', 'set-role', carol.email, 'moderator'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: instanceEnv.DATABASE_URL,
        SECRET_KEY: TEST_SECRET_KEY,
        ...(REDIS_URL ? { REDIS_URL } : {}),
      },
      stdio: 'ignore',
    });
    expect(await new Promise((resolve) => cli.once('exit', resolve))).toBe(0);
    for (const inst of [a, b]) {
      await seenWithin(
        () => request(inst.url, 'GET', '/api/auth/session', { headers: cookie }),
        (r) => r.body.user?.role === 'moderator',
      );
    }
  }, 120_000);

  it.skipIf(!REDIS_URL)('a rate limit reached through one instance applies through the other (needs REDIS_URL)', async () => {
    const bob = await registerUser(a.url);
    const login = (instance: Instance, password: string) => request(instance.url, 'POST', '/api/auth/login', { body: { email: bob.email, password } });
    expect((await login(a, 'Wrong-Password-1')).status).toBe(401);
    expect((await login(b, 'Wrong-Password-1')).status).toBe(401);
    expect((await login(a, 'Wrong-Password-1')).status).toBe(401);
    const locked = await login(b, STRONG_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(a, STRONG_PASSWORD)).status).toBe(429);
  });

  it('a key rotation on one instance refuses no request on either, and both sign with the new key', async () => {
    const boss = await registerUser(a.url);
    await sql(`update users set role = 'admin' where id = '${boss.user.id}'`);
    const adminToken = (await request(a.url, 'POST', '/api/auth/login', { body: { email: boss.email, password: STRONG_PASSWORD } })).body.accessToken;
    const people = await Promise.all([a, b].map((inst) => registerUser(inst.url, {}, { 'x-token-transport': 'body' })));
    let running = true;
    const failures: string[] = [];
    let requests = 0;
    const worker = async (i: number) => {
      let { accessToken, refreshToken } = people[i]!;
      for (let n = 0; running; n++) {
        // Tokens from one instance are used on the other, as a load balancer would mix them.
        const target = (n + i) % 2 ? a : b;
        const me = await request(target.url, 'GET', '/api/auth/me', { headers: bearer(accessToken) });
        const refreshed = await request(target.url, 'POST', '/api/auth/refresh', { body: { refreshToken }, headers: { 'x-token-transport': 'body' } });
        requests += 2;
        if (me.status !== 200) failures.push(`me ${me.status} ${JSON.stringify(me.body)}`);
        if (refreshed.status !== 200) failures.push(`refresh ${refreshed.status}`);
        else ({ accessToken, refreshToken } = refreshed.body);
      }
    };
    const load = Promise.all([0, 1].map(worker));
    await sleep(300);
    const rotated = await request(a.url, 'POST', '/api/admin/keys/rotate', { headers: bearer(adminToken) });
    expect(rotated.status).toBe(200);
    // Past the new key's activation (KEY_PREPUBLISH) and enough requests, however busy the machine.
    const until = Date.now() + 700;
    for (let i = 0; i < 400 && (Date.now() < until || requests <= 20); i++) await sleep(50);
    running = false;
    await load;
    expect(requests).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    for (const inst of [a, b]) {
      const fresh = await request(inst.url, 'POST', '/api/auth/login', { body: { email: boss.email, password: STRONG_PASSWORD } });
      expect(decodeProtectedHeader(fresh.body.accessToken).kid).toBe(rotated.body.kid);
    }
  });
});

/** A fresh database on the server of DATABASE_URL; drop() removes it. */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `portcullis_cluster_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(BASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: BASE_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** One request on a new connection, so the cluster's round-robin hands it to the next worker. */
function freshConnectionLogin(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/api/auth/login`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The primary's children that are API workers: tsx may also run a helper (esbuild) beside them. */
const workerPids = (primary: number) =>
  new Promise<number[]>((resolve) => {
    const ps = spawn('ps', ['-o', 'pid=,args=', '--ppid', String(primary)]);
    let out = '';
    ps.stdout.on('data', (d) => (out += d));
    ps.on('close', () =>
      resolve(
        out
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line.includes('cluster.ts') && !line.includes('esbuild'))
          .map((line) => Number(line.split(/\s+/)[0])),
      ),
    );
  });

describe.skipIf(!BASE_URL)('npm run start:cluster (needs DATABASE_URL: PGlite is one process only)', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let cluster: Instance;

  beforeAll(async () => {
    database = await freshDatabase();
    // No REDIS_URL on purpose: the workers must share their limits through the primary.
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      SECRET_KEY: TEST_SECRET_KEY,
      JWT_ISSUER: 'http://portcullis.cluster.test',
      CLUSTER_WORKERS: '2',
      REDIS_URL: '',
      RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '3/15m',
    };
    cluster = spawnInstance(env, await freePort(), 'apps/api/src/cluster.ts');
    await waitReady(cluster);
    // Both workers listening.
    for (let i = 0; i < 100 && (await workerPids(cluster.child.pid!)).length < 2; i++) await sleep(100);
  }, 120_000);

  afterAll(async () => {
    if (cluster) await stopInstance(cluster);
    await database?.drop();
  });

  it('runs one worker per requested core, with limits shared by the workers', async () => {
    expect(await workerPids(cluster.child.pid!)).toHaveLength(2);
    const carol = await registerUser(cluster.url);
    for (let i = 0; i < 3; i++) expect(await freshConnectionLogin(cluster.url, { email: carol.email, password: 'Wrong-Password-1' })).toBe(401);
    // Whichever worker takes them, the fourth and fifth are refused.
    expect(await freshConnectionLogin(cluster.url, { email: carol.email, password: STRONG_PASSWORD })).toBe(429);
    expect(await freshConnectionLogin(cluster.url, { email: carol.email, password: STRONG_PASSWORD })).toBe(429);
  });

  // Linux only: a process's environment at its start is read from /proc.
  it.skipIf(process.platform !== 'linux')('gives each worker its share of the cores for password hashes, not all of them', async () => {
    const share = process.env.PASSWORD_HASH_CONCURRENCY ?? String(Math.max(1, Math.round(os.availableParallelism() / 2)));
    for (const pid of await workerPids(cluster.child.pid!)) {
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environment).toContain(`PASSWORD_HASH_CONCURRENCY=${share}`);
    }
  });

  it('restarts a worker that dies', async () => {
    const [victim] = await workerPids(cluster.child.pid!);
    process.kill(victim!, 'SIGKILL');
    let pids: number[] = [];
    for (let i = 0; i < 100; i++) {
      pids = await workerPids(cluster.child.pid!);
      if (pids.length === 2 && !pids.includes(victim!)) break;
      await sleep(100);
    }
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(victim);
    // The service answers meanwhile and afterwards.
    for (let i = 0; i < 20; i++) {
      const res = await request(cluster.url, 'GET', '/healthz').catch(() => undefined);
      if (res?.status === 200) break;
      await sleep(200);
    }
    for (let i = 0; i < 4; i++) expect((await request(cluster.url, 'GET', '/healthz')).status).toBe(200);
  });
});
