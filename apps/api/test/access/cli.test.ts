import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCliConfig } from '../../src/cli/support.js';
import { login, newUser } from '@portcullis/testing/access';
import { apiEntryArgs } from '@portcullis/testing/apiProcess';
import { bearer, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { startServer, TEST_SECRET_KEY, type TestServer } from '@portcullis/testing/server';
import { codeAt } from '@portcullis/testing/totp';

/** The operator CLI, run as a real process against a real database: the embedded one and PostgreSQL. */

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const CLI_PASSWORD = 'Cli-Admin-Pass-9!';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A CLI run that has not ended after this long hangs: it is killed and the test fails with its output. */
const CLI_RUN_LIMIT_MS = 150_000;

/**
 * Runs the CLI from the API bundle (built once per run, see apiProcess.ts); `viaNpm` goes through
 * the root `npm run cli` script from source, as an operator would.
 */
function cli(args: string[], env: Record<string, string>, options: { input?: string; viaNpm?: boolean } = {}): Promise<Run> {
  const [cmd, argv] = options.viaNpm ? ['npm', ['run', '--silent', 'cli', '--', ...args]] : [process.execPath, [...apiEntryArgs('cli'), ...args]];
  return new Promise((resolve, reject) => {
    // Its own process group, so that a hung run is killed with npm's children.
    const child = spawn(cmd, argv as string[], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    const hung = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`portcullis ${args.join(' ')} did not end within ${CLI_RUN_LIMIT_MS / 1000} s.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, CLI_RUN_LIMIT_MS);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(hung);
      resolve({ code, stdout, stderr: stderr.replace(/^npm warn.*\n/gm, '') });
    });
    child.stdin.end(options.input ?? '');
  });
}

// Each case starts the CLI as new processes several times: about 10 s each on a busy
// machine. 180 s was used up under npm run test:load (the embedded-database case took 137 s on a
// merely busy machine); the timeout only catches a hang.
describe('operator CLI', { timeout: 600_000 }, () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('reads DATA_DIR as the server started from the repository root does', () => {
    const base = { SECRET_KEY: TEST_SECRET_KEY, NODE_ENV: 'test' };
    expect(loadCliConfig({ ...base }).DATA_DIR).toBe(path.join(REPO, '.data'));
    expect(loadCliConfig({ ...base, DATA_DIR: 'elsewhere/db' }).DATA_DIR).toBe(path.join(REPO, 'elsewhere/db'));
    expect(loadCliConfig({ ...base, DATA_DIR: '/var/lib/portcullis' }).DATA_DIR).toBe('/var/lib/portcullis');
  });

  it('prints help for the program and for each command', async () => {
    const top = await cli(['--help'], {});
    expect(top.code).toBe(0);
    for (const command of ['create-admin', 'set-role', 'revoke-sessions', 'reset-mfa', 'rotate-keys', 'list-users']) expect(top.stdout).toContain(command);
    const sub = await cli(['set-role', '--help'], {});
    expect(sub.stdout).toContain('Usage: portcullis set-role [options] <user> <role>');
    const bad = await cli(['set-role', 'someone@example.com', 'root'], {});
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('expected one of user, moderator, admin');
  });

  it('works on the embedded database, and refuses to open it while the server holds it', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'portcullis-cli-'));
    dirs.push(dataDir);
    // The embedded database, whatever this suite runs against.
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      SECRET_KEY: TEST_SECRET_KEY,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_ISSUER: 'http://portcullis.test',
    };

    const created = await cli(['create-admin', '--email', 'ops@example.com', '--name', 'Ops'], env, { input: `${CLI_PASSWORD}\n` });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created admin ops@example.com/);
    const weak = await cli(['create-admin', '--email', 'weak@example.com'], env, { input: 'password\n' });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('VALIDATION_FAILED');
    const badEmail = await cli(['create-admin', '--email', 'not-an-email'], env, { input: `${CLI_PASSWORD}\n` });
    expect(badEmail.code).toBe(1);
    expect(badEmail.stderr).toContain('not a valid email address');

    let server: TestServer = await startServer({ ...env, RATE_LIMITS: 'off' });
    let user;
    try {
      const ops = await login(server.url, 'ops@example.com', CLI_PASSWORD);
      expect((await request(server.url, 'GET', '/api/admin/users', { headers: bearer(ops.accessToken) })).status).toBe(200);
      user = await newUser(server.url, 'Ivy');

      const locked = await cli(['list-users'], env);
      expect(locked.code).toBe(1);
      expect(locked.stderr).toMatch(/in use by another process \(pid \d+\).*DATABASE_URL/s);
      // The server is unharmed.
      expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(user.accessToken) })).status).toBe(200);
    } finally {
      await server.close();
    }

    const promoted = await cli(['set-role', user.email, 'moderator'], env);
    expect(promoted.stdout).toContain(`${user.email}: user → moderator.`);
    const lastAdmin = await cli(['set-role', 'ops@example.com', 'user'], env);
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.stderr).toContain('LAST_ADMIN');
    const unknown = await cli(['revoke-sessions', 'nobody@example.com'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user nobody@example.com');
    const rotated = await cli(['rotate-keys'], env);
    expect(rotated.code).toBe(0);
    const [, oldKid, newKid] = /rotated: (\S+) → (\S+)\./.exec(rotated.stdout)!;
    const listed = await cli(['list-users', '--json', '--query', 'IVY'], env);
    expect(JSON.parse(listed.stdout)).toMatchObject({ total: 1, users: [{ email: user.email, role: 'moderator' }] });
    const table = await cli(['list-users', '--limit', '1'], env);
    expect(table.stdout).toMatch(/^ID\s+ROLE\s+EMAIL/);
    expect(table.stdout).toContain('2 users in all; page 1, 1 per page.');

    // The server, started again, sees all of it: the old token (role user) is refused, the keys rotated.
    server = await startServer({ ...env, RATE_LIMITS: 'off' });
    try {
      const stale = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(user.accessToken) });
      expect(stale.status).toBe(401);
      const again = await login(server.url, user.email, STRONG_PASSWORD);
      expect((await request(server.url, 'GET', '/api/projects?all=true', { headers: bearer(again.accessToken) })).status).toBe(200);
      const kids = (await request(server.url, 'GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
      expect(kids).toEqual(expect.arrayContaining([oldKid, newKid]));
      const ops = await login(server.url, 'ops@example.com', CLI_PASSWORD);
      const events = await request(server.url, 'GET', `/api/admin/audit-events?userId=${user.id}&type=user.role_changed`, { headers: bearer(ops.accessToken) });
      expect(events.body.events[0]).toMatchObject({ actorId: null, details: { from: 'user', to: 'moderator', via: 'cli' } });
    } finally {
      await server.close();
    }
  });

  it('reset-mfa: the user signs in with the password alone again; audited (via cli) and mailed', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'portcullis-cli-'));
    dirs.push(dataDir);
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      SECRET_KEY: TEST_SECRET_KEY,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_ISSUER: 'http://portcullis.test',
    };
    let server = await startServer({ ...env, RATE_LIMITS: 'off' });
    let mia;
    try {
      mia = await newUser(server.url, 'Mia');
      const setup = await request(server.url, 'POST', '/api/auth/mfa/totp/setup', { headers: bearer(mia.accessToken) });
      const enable = await request(server.url, 'POST', '/api/auth/mfa/totp/enable', {
        body: { code: codeAt(setup.body.secret, Date.now()) },
        headers: bearer(mia.accessToken),
      });
      expect(enable.status).toBe(200);
      await server.query(`update users set second_factor_failures = 7 where id = '${mia.id}'`);
    } finally {
      await server.close();
    }

    const done = await cli(['reset-mfa', mia.email], env);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`Two-step verification reset for ${mia.email}; 1 session signed out.`);
    const nothing = await cli(['reset-mfa', mia.email], env);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('CONFLICT');

    server = await startServer({ ...env, RATE_LIMITS: 'off' });
    try {
      const again = await request(server.url, 'POST', '/api/auth/login', { body: { email: mia.email, password: STRONG_PASSWORD } });
      expect(again.status).toBe(200);
      expect(again.body.user.mfaEnabled).toBe(false);
      expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(mia.accessToken) })).status).toBe(401);
      const [event] = await server.query<{ actor_id: string | null; details: Record<string, unknown> }>(
        `select actor_id, details from audit_events where user_id = '${mia.id}' and type = 'mfa.reset'`,
      );
      expect(event).toMatchObject({ actor_id: null, details: { via: 'cli', wasEnabled: true, failuresCleared: 7 } });
      expect(
        await server.query(`select 1 from mail_messages where "to" = '${mia.email}' and subject = 'Two-step verification was reset on your account'`),
      ).toHaveLength(1);
      expect(await server.query(`select 1 from recovery_codes where user_id = '${mia.id}'`)).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it.skipIf(!process.env.DATABASE_URL)('runs beside a live server on PostgreSQL, whose changes apply at once', async () => {
    const server = await startServer({ RATE_LIMITS: 'off' });
    try {
      // Debug logs on stderr say where a run that hangs was waiting.
      const env = { ...server.env, LOG_LEVEL: 'debug' };
      const created = await cli(['create-admin', '--email', 'pg.ops@example.com'], env, { input: `${CLI_PASSWORD}\n`, viaNpm: true });
      expect(created.code).toBe(0);
      const ops = await login(server.url, 'pg.ops@example.com', CLI_PASSWORD);
      expect((await request(server.url, 'GET', '/api/admin/users', { headers: bearer(ops.accessToken) })).status).toBe(200);

      const jack = await newUser(server.url, 'Jack');
      expect((await cli(['set-role', jack.id, 'moderator'], env)).code).toBe(0);
      const stale = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(jack.accessToken) });
      expect(stale.status).toBe(401);

      const kate = await newUser(server.url, 'Kate');
      const revoked = await cli(['revoke-sessions', kate.email], env);
      expect(revoked.stdout).toContain(`Revoked 1 session of ${kate.email}.`);
      expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(kate.accessToken) })).status).toBe(401);

      const before = server.ctx.keyRing.jwks().keys.map((k) => k.kid);
      const rotated = await cli(['rotate-keys'], env);
      expect(rotated.code).toBe(0);
      const newKid = /→ (\S+)\./.exec(rotated.stdout)![1]!;
      expect(before).not.toContain(newKid);
      // The new key is published at once (it signs only KEY_PREPUBLISH later). Up to 10 s for a
      // busy machine; the bus brings it in milliseconds, and without it only the 60 s periodic
      // reload would, so a missing announcement still fails.
      const published = () => server.ctx.keyRing.jwks().keys.some((k) => k.kid === newKid);
      const deadline = Date.now() + 10_000;
      while (!published() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(published()).toBe(true);
    } finally {
      await server.close();
    }
  });
});
