import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '@portcullis/testing/ports';
import { TEST_SECRET_KEY } from '@portcullis/testing/server';

/**
 * A private PostgreSQL server (its own data directory, loopback port and socket directory) that
 * a fault test may stop, crash and freeze without touching the shared one. PostgreSQL refuses to
 * run as root: as root the server runs as the `postgres` user (runuser), in a directory owned by it.
 */

const PG_BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

/** The directory of initdb and postgres, or why a test must skip. */
export function postgresBinaries(): { dir: string } | { missing: string } {
  const dir = PG_BIN_DIRS.find((d) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'postgres')));
  if (!dir) return { missing: `no PostgreSQL server binaries (initdb, postgres) in ${PG_BIN_DIRS.join(', ')}` };
  if (process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser')) return { missing: 'running as root without runuser' };
  return { dir };
}

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** SIGSTOP on the postmaster and every backend: connections stay open, nothing answers. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const found = postgresBinaries();
  if ('missing' in found) throw new Error(found.missing);
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-pg-'));
  const dataDir = path.join(dir, 'data');
  if (asRoot) chownSync(dir, pgUid(), pgGid());
  const run = (bin: string, args: string[]) =>
    (asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(found.dir, bin), ...args]] : [path.join(found.dir, bin), args]) as [string, string[]];

  const [initCmd, initArgs] = run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  execFileSync(initCmd, initArgs, { stdio: 'ignore' });

  const port = await freePort();
  const [cmd, args] = run('postgres', [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'max_connections=50',
  ]);
  const child: ChildProcess = spawn(cmd, args, { stdio: 'ignore' });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`private PostgreSQL did not start: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const postmasterPid = () => Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const signalAll = (signal: NodeJS.Signals) => {
    const master = postmasterPid();
    // The postmaster first (stopped, it forks no new backend), then every process it started.
    const pids = signal === 'SIGSTOP' ? [master, ...childrenOf(master)] : [...childrenOf(master), master];
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // Gone meanwhile.
      }
    }
  };

  return {
    url,
    port,
    freeze: () => signalAll('SIGSTOP'),
    thaw: () => signalAll('SIGCONT'),
    async stop() {
      try {
        signalAll('SIGCONT');
        process.kill(postmasterPid(), 'SIGQUIT');
      } catch {
        // Already gone.
      }
      if (child.exitCode === null) await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every descendant of `pid`, from /proc (no ps needed). */
export function childrenOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Exited while we looked.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of parents.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function pgUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
}

function pgGid(): number {
  return Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
}

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

export interface ApiProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: string[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * The API as a real child process on a port of its own: tsx apps/api/src/main.ts, or with `built`
 * the production build (apps/api/dist/main.js, `npm run build:api`) under plain node.
 */
export async function spawnApi(env: Record<string, string>, options: { built?: boolean } = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, options.built ? ['apps/api/dist/main.js'] : ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      SECRET_KEY: TEST_SECRET_KEY,
      RATE_LIMITS: 'off',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { url: `http://127.0.0.1:${port}`, port, child, output, exited };
}

/** Waits until /readyz answers 200; returns how long that took. */
// A first start creates the embedded database (PGlite's initdb), which took over 120 s with two
// full suites running on the 2 cores; the bound only catches a server that never becomes ready.
export async function waitUntilReady(api: ApiProcess, timeoutMs = 300_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (api.child.exitCode !== null) throw new Error(`the API exited: ${api.output.join('')}`);
    const status = await fetch(`${api.url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the API was not ready in time: ${api.output.join('')}`);
}

/** A new empty database on the PostgreSQL server of `baseUrl`, dropped again by drop(). */
export async function freshPostgresDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `portcullis_faults_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
