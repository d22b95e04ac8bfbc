import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

/** Configuration: defaults, one clear line per bad value, and production's refusals. */

const SECRET = 'a-test-secret-key-with-at-least-32-characters';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const base = { DATA_DIR: 'memory://', SECRET_KEY: SECRET };

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      PORT: 4000,
      WEB_PORT: 3000,
      JWT_ACCESS_TTL: 15 * 60_000,
      JWT_REFRESH_TTL: 7 * 86_400_000,
      SESSION_MAX_AGE: 30 * 86_400_000,
      REFRESH_REUSE_GRACE: 30_000,
      JWT_ALG: 'EdDSA',
      JWT_AUDIENCE: 'portcullis',
      PASSWORD_HASH: 'argon2id',
      RATE_LIMITS: 'on',
      COOKIE_SECURE: false,
      isProduction: false,
      // WEB_URL's origin, and outside production its other loopback spellings (loopbackOrigins.ts).
      CORS_ORIGINS: ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000'],
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('parses durations, lists and booleans', () => {
    const config = loadConfig({
      ...base,
      JWT_ACCESS_TTL: '2s',
      JWT_REFRESH_TTL: '12h',
      REFRESH_REUSE_GRACE: '500ms',
      CORS_ORIGINS: 'https://a.test/, http://b.test:8080',
      COOKIE_SECURE: 'true',
    });
    expect(config).toMatchObject({ JWT_ACCESS_TTL: 2_000, JWT_REFRESH_TTL: 12 * 3_600_000, REFRESH_REUSE_GRACE: 500, COOKIE_SECURE: true });
    expect(config.CORS_ORIGINS).toEqual(['https://a.test', 'http://b.test:8080']);
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ ...base, PORT: '' }).PORT).toBe(4000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['WEB_PORT', '-1'],
    ['JWT_ACCESS_TTL', '15 minutes'],
    ['JWT_REFRESH_TTL', '0s'],
    ['REFRESH_REUSE_GRACE', 'soon'],
    ['SESSION_MAX_AGE', '30'],
    ['JWT_ALG', 'HS256'],
    ['JWT_ALG', 'none'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['SECRET_KEY', 'too-short'],
    ['COOKIE_SECURE', 'maybe'],
    ['PASSWORD_HASH', 'md5'],
    ['RATE_LIMITS', 'sometimes'],
    ['CORS_ORIGINS', 'ftp://files.test'],
    ['WEB_URL', 'not a url'],
    ['NODE_ENV', 'staging'],
  ])('refuses %s=%s with one line naming the variable', (name, value) => {
    const message = configError({ ...base, [name]: value });
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/expected|must|required/);
  });

  describe('in production', () => {
    const prod = { ...base, NODE_ENV: 'production' };

    it('refuses a missing SECRET_KEY', () => {
      const message = configError({ DATA_DIR: 'memory://', NODE_ENV: 'production' });
      expect(message).toMatch(/SECRET_KEY/);
      expect(message).not.toContain('\n');
    });

    it('refuses COOKIE_SECURE=false', () => {
      expect(configError({ ...prod, COOKIE_SECURE: 'false' })).toMatch(/COOKIE_SECURE/);
    });

    it('refuses the bootstrap admin', () => {
      expect(
        configError({ ...prod, ALLOW_BOOTSTRAP: 'true', BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'Correct-Horse-9' }),
      ).toMatch(/ALLOW_BOOTSTRAP/);
    });

    it('refuses the embedded database on disk (no fsync) unless EMBEDDED_DB_IN_PRODUCTION=accept-risk says the operator accepts it', () => {
      const onDisk = { ...prod, DATA_DIR: '/var/lib/portcullis' };
      const message = configError(onDisk);
      expect(message).toMatch(/DATABASE_URL/);
      expect(message).toMatch(/EMBEDDED_DB_IN_PRODUCTION=accept-risk/);
      expect(message).not.toContain('\n');
      expect(loadConfig({ ...onDisk, EMBEDDED_DB_IN_PRODUCTION: 'accept-risk' }).isProduction).toBe(true);
      expect(configError({ ...onDisk, EMBEDDED_DB_IN_PRODUCTION: 'yes' })).toMatch(/EMBEDDED_DB_IN_PRODUCTION/);
      // PostgreSQL, or the in-memory database that keeps nothing, need no such word.
      expect(loadConfig({ ...onDisk, DATABASE_URL: 'postgres://db.example/portcullis' }).isProduction).toBe(true);
      expect(loadConfig(prod).isProduction).toBe(true);
    });

    it('makes cookies Secure by default', () => {
      const config = loadConfig(prod);
      expect(config.isProduction).toBe(true);
      expect(config.COOKIE_SECURE).toBe(true);
    });
  });

  it('generates a development SECRET_KEY once, kept in DATA_DIR, and says so', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-config-'));
    try {
      const first = loadConfig({ DATA_DIR: dir });
      const second = loadConfig({ DATA_DIR: dir });
      expect(first.SECRET_KEY.length).toBeGreaterThanOrEqual(32);
      expect(second.SECRET_KEY).toBe(first.SECRET_KEY);
      expect(first.notices.join('\n')).toMatch(/SECRET_KEY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('starting the server with a bad configuration', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `node --import tsx apps/api/src/main.ts` with only the given variables and returns its exit. */
  function start(env: Record<string, string>) {
    const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-start-'));
    dirs.push(dir);
    return new Promise<{ code: number | null; stderr: string[] }>((resolve, reject) => {
      // node itself, as the start test below: through npx, the child printed its one line and exited
      // at once, yet npx had still not exited 25 s later on a busy machine (a full run at load 10-14).
      const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? dir, DATA_DIR: dir, LOG_LEVEL: 'silent', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      // Only a hang detector (a configuration error exits before anything starts).
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the server did not exit: ${stderr}`));
      }, 60_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr: stderr.split('\n').filter((line) => line.trim()) });
      });
    });
  }

  it('exits with code 1 and one line on stderr naming PORT', async () => {
    const { code, stderr } = await start({ PORT: 'not-a-port' });
    expect(code).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/PORT/);
    expect(stderr[0]).toMatch(/expected a port number/);
  });

  it('exits with code 1 and one line naming SECRET_KEY in production without one', async () => {
    const { code, stderr } = await start({ NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/SECRET_KEY/);
  });

  it('starts for real on PORT with DATA_DIR, serves, and shuts down cleanly on SIGTERM', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-start-'));
    dirs.push(dir);
    // Only PORT, DATA_DIR and a secret: the embedded database, whatever DATABASE_URL the suite has.
    // One process (node --import tsx), as npm start runs it: SIGTERM reaches the server itself and
    // its exit code comes back (tsx's CLI would SIGKILL a child slow to confirm the signal).
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH!,
        HOME: process.env.HOME ?? dir,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        SECRET_KEY: SECRET,
        RATE_LIMITS: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      let health = 0;
      // A first start creates the embedded database: seconds when idle, over a minute on a busy
      // machine. The bound only catches a server that never serves (it was 25 s, and CI flipped it).
      const deadline = Date.now() + 300_000;
      while (health !== 200 && Date.now() < deadline && child.exitCode === null) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
        if (health !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(health).toBe(200);
      const jwks = (await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`).then((r) => r.json())) as { keys: unknown[] };
      expect(jwks.keys).toHaveLength(1);
      expect(existsSync(path.join(dir, 'pgdata'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
