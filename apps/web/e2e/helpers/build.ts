// One production build of the web app for every e2e test file (and every engineer) on this
// machine: skipped when `.next` is newer than the sources, and guarded by a lock so two
// processes never run `next build` into the same `.next` at once.
//
// Running web servers read `.next` lazily, so a rebuild under them would break them. Each test
// web server therefore holds a *reader* mark (a file named after its process) while it runs;
// a build (the *writer*) waits for the readers to finish, and new readers wait while a build is
// pending. All marks live in node_modules/.cache and are ignored once their process is dead.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from '@portcullis/testing/apiProcess';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROOT = path.resolve(WEB_DIR, '../..');
const BUILD_ID = path.join(WEB_DIR, '.next', 'BUILD_ID');
const CACHE = path.join(ROOT, 'node_modules', '.cache');
/** Shared with scripts/start.mjs. */
const LOCK_DIR = path.join(CACHE, 'portcullis-web-build.lock');
const READERS_DIR = path.join(CACHE, 'portcullis-web-readers');
const LOCK_STALE_MS = 10 * 60_000;
/** A reader that outstays this (a forgotten server) no longer holds builds back. */
const READER_WAIT_MS = 5 * 60_000;

/** Everything a build depends on. */
const SOURCES = ['app', 'components', 'lib', 'public', 'proxy.ts', 'next.config.ts', 'package.json', 'tsconfig.json', 'global.d.ts'].map((p) =>
  path.join(WEB_DIR, p),
);
// The workspace packages the web app bundles from source: a change there needs a new build too.
const PACKAGE_SOURCES = ['sdk', 'contract', 'react', 'nextjs'].map((name) => path.join(ROOT, 'packages', name, 'src'));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function buildIsFresh(): boolean {
  if (!existsSync(BUILD_ID)) return false;
  const built = statSync(BUILD_ID).mtimeMs;
  return [...SOURCES, ...PACKAGE_SOURCES].every((source) => newestMtime(source) < built);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether a build holds the lock; a lock left by a dead process (or a very old one) is removed. */
function writerActive(): boolean {
  if (!existsSync(LOCK_DIR)) return false;
  let owner = NaN;
  try {
    owner = Number(readFileSync(path.join(LOCK_DIR, 'owner'), 'utf8'));
  } catch {
    return true; // being created right now
  }
  let age = 0;
  try {
    age = Date.now() - statSync(LOCK_DIR).mtimeMs;
  } catch {
    return false;
  }
  if ((Number.isInteger(owner) && !processAlive(owner)) || age > LOCK_STALE_MS) {
    rmSync(LOCK_DIR, { recursive: true, force: true });
    return false;
  }
  return true;
}

/**
 * Live reader marks (`<pid>-<random>`) of other processes; marks of dead processes are removed on
 * the way. This process's own marks do not count: it would only be waiting for itself.
 */
function liveReaders(): string[] {
  if (!existsSync(READERS_DIR)) return [];
  return readdirSync(READERS_DIR).filter((name) => {
    const pid = Number(name.split('-')[0]);
    if (pid === process.pid) return false;
    if (Number.isInteger(pid) && processAlive(pid)) return true;
    rmSync(path.join(READERS_DIR, name), { force: true });
    return false;
  });
}

/** mkdir is atomic: whoever creates the directory holds the lock. */
async function withWriterLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(CACHE, { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(path.join(LOCK_DIR, 'owner'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      writerActive(); // evicts a stale lock
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function runBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: WEB_DIR,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}):\n${output}`))));
  });
}

async function build(): Promise<void> {
  await withWriterLock(async () => {
    if (buildIsFresh()) return; // someone else built it while we waited
    const since = Date.now();
    while (liveReaders().length > 0 && Date.now() - since < READER_WAIT_MS) await sleep(500);
    await runBuild();
  });
}

/** Makes sure `.next` holds a production build of the current sources (no reader mark). */
export async function ensureWebBuild(): Promise<void> {
  while (!buildIsFresh() || writerActive()) {
    if (writerActive()) await sleep(500);
    else await build();
  }
}

/**
 * A fresh build, held for reading until `release()`: no build replaces `.next` meanwhile.
 * Call it before starting a server on the build; release once the server has stopped.
 */
export async function acquireWebBuild(): Promise<() => void> {
  mkdirSync(READERS_DIR, { recursive: true });
  for (;;) {
    await ensureWebBuild();
    const mark = path.join(READERS_DIR, `${process.pid}-${randomBytes(4).toString('hex')}`);
    writeFileSync(mark, '');
    ownMarks.add(mark);
    const release = () => {
      rmSync(mark, { force: true });
      ownMarks.delete(mark);
    };
    // A build may have started between the check and the mark: then step back and wait for it.
    if (!writerActive() && buildIsFresh()) return release;
    release();
  }
}

/** Marks of this process, removed when it exits even if a test forgot to close its server. */
const ownMarks = new Set<string>();
process.once('exit', () => {
  for (const mark of ownMarks) rmSync(mark, { force: true });
});
