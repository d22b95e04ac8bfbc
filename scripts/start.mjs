// `npm start`: the API (port 4000) and the web app (port 3000) together, from a fresh clone.
//
//   node scripts/start.mjs           production mode with plain node: builds the API (apps/api/dist,
//                                    about a second) and the web app when its build is missing or
//                                    older than its sources
//   node scripts/start.mjs --prod    the same without building: `npm run build` ran before
//   node scripts/start.mjs --dev     both in development mode (API restarts on change, Next dev)
//   node scripts/start.mjs --web     only the web app (--api: only the API)
//
// Output is prefixed per process; SIGINT/SIGTERM go to both; when one exits, so does the other.
// No dependencies beyond Node itself.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB_DIR = path.join(ROOT, 'apps', 'web');
const args = new Set(process.argv.slice(2));
const dev = args.has('--dev');
const prebuilt = args.has('--prod');
const runApi = !args.has('--web');
const runWeb = !args.has('--api');

// The same .env the API reads, so the defaults below never override a value set there.
if (existsSync(path.join(ROOT, '.env'))) process.loadEnvFile(path.join(ROOT, '.env'));
const apiPort = process.env.PORT ?? '4000';
const webPort = process.env.WEB_PORT ?? '3000';
const env = {
  ...process.env,
  PORT: apiPort,
  WEB_PORT: webPort,
  // The web app proxies /api to the API on this machine: the API believes its X-Forwarded-For.
  TRUST_PROXY: process.env.TRUST_PROXY ?? 'loopback',
  // ...and so the API listens on loopback only: from elsewhere it is reached through the web
  // app's origin, whose proxy replaces any X-Forwarded-For a client sends (set HOST to change).
  ...(process.env.TRUST_PROXY === undefined ? { HOST: process.env.HOST ?? '127.0.0.1' } : {}),
  API_URL: process.env.API_URL ?? `http://127.0.0.1:${apiPort}`,
  NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? '1',
  // A person at a terminal reads the API's log as text (pino-pretty); pipes and production get JSON.
  ...(process.env.LOG_FORMAT === undefined && process.stdout.isTTY && process.env.NODE_ENV !== 'production' ? { LOG_FORMAT: 'pretty' } : {}),
};

const COLORS = { api: '\x1b[36m', web: '\x1b[35m', build: '\x1b[33m' };
const color = process.stdout.isTTY && !process.env.NO_COLOR;

/** Writes a child's output line by line, each line prefixed with the child's name. */
function pipeWithPrefix(stream, name, target) {
  const prefix = color ? `${COLORS[name]}[${name}]\x1b[0m ` : `[${name}] `;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) target.write(prefix + line + '\n');
  });
  stream.on('end', () => pending && target.write(prefix + pending + '\n'));
}

function run(name, command, commandArgs, options = {}) {
  const child = spawn(command, commandArgs, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  pipeWithPrefix(child.stdout, name, process.stdout);
  pipeWithPrefix(child.stderr, name, process.stderr);
  return child;
}

// --- the web build -----------------------------------------------------------------------------

const BUILD_SOURCES = ['app', 'components', 'lib', 'public', 'proxy.ts', 'next.config.ts', 'package.json', 'tsconfig.json', 'global.d.ts'].map((p) =>
  path.join(WEB_DIR, p),
);
// The workspace packages the web app bundles from source: a change there needs a new build too.
const PACKAGE_SOURCES = ['sdk', 'contract', 'react', 'nextjs'].map((name) => path.join(ROOT, 'packages', name, 'src'));
const BUILD_ID = path.join(WEB_DIR, '.next', 'BUILD_ID');
// Shared with apps/web/e2e/helpers/build.ts: never two `next build`s into one .next.
const LOCK_DIR = path.join(ROOT, 'node_modules', '.cache', 'portcullis-web-build.lock');

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(target).reduce((newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))), stat.mtimeMs);
}

function buildIsFresh() {
  if (!existsSync(BUILD_ID)) return false;
  const built = statSync(BUILD_ID).mtimeMs;
  return [...BUILD_SOURCES, ...PACKAGE_SOURCES].every((source) => newestMtime(source) < built);
}

async function ensureBuild() {
  if (buildIsFresh()) return;
  mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  for (let waited = 0; ; waited += 1) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(path.join(LOCK_DIR, 'owner'), String(process.pid)); // lets others spot a dead holder
      break;
    } catch {
      if (waited === 0) console.log('[build] another build is running; waiting for it');
      if (waited > 1200) rmSync(LOCK_DIR, { recursive: true, force: true }); // 10 minutes: a stale lock
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (buildIsFresh()) return;
    console.log('[build] building the web app (once; later starts reuse it)');
    const child = run('build', process.execPath, [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: WEB_DIR,
      env: { ...env, NODE_ENV: 'production' },
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    if (code !== 0) {
      console.error(`[build] next build failed (exit ${code})`);
      process.exit(1);
    }
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

// --- run both ----------------------------------------------------------------------------------

const API_BUNDLE = path.join(ROOT, 'apps', 'api', 'dist', 'main.js');

/** The API as plain JavaScript (apps/api/scripts/build.mjs): a second, and always current. */
async function buildApi() {
  const child = run('build', process.execPath, [path.join(ROOT, 'apps', 'api', 'scripts', 'build.mjs')]);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) {
    console.error(`[build] the API build failed (exit ${code})`);
    process.exit(1);
  }
}

if (prebuilt) {
  const missing = [runApi && !existsSync(API_BUNDLE) && 'apps/api/dist', runWeb && !existsSync(BUILD_ID) && 'apps/web/.next'].filter(Boolean);
  if (missing.length) {
    console.error(`No build in ${missing.join(' and ')}: run \`npm run build\` first (or \`npm start\`, which builds).`);
    process.exit(1);
  }
} else if (!dev) {
  if (runApi) await buildApi();
  if (runWeb) await ensureBuild();
}

const children = [];
const tsxCli = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
// In production the built API under plain node: no TypeScript compiled at each start.
if (runApi) children.push(['api', run('api', process.execPath, dev ? [tsxCli, 'watch', '--clear-screen=false', 'apps/api/src/main.ts'] : [API_BUNDLE])]);
if (runWeb) children.push(['web', run('web', process.execPath, dev ? ['server.mjs', '--dev'] : ['server.mjs'], { cwd: WEB_DIR })]);

/** SHUTDOWN_TIMEOUT as the API reads it (a number of ms, or 500ms, 10s, 1m), default 10 s. */
function shutdownTimeoutMs() {
  const match = /^(\d+)(ms|s|m)?$/.exec((process.env.SHUTDOWN_TIMEOUT ?? '').trim());
  if (!match) return 10_000;
  return Number(match[1]) * { ms: 1, s: 1_000, m: 60_000 }[match[2] ?? 'ms'];
}

let exiting = false;
function shutdown(code, signal = 'SIGTERM') {
  if (exiting) return;
  exiting = true;
  // Each child drains its in-flight requests (SHUTDOWN_TIMEOUT) and exits by itself; we wait.
  for (const [, child] of children) if (child.exitCode === null) child.kill(signal);
  // Whatever does not stop in time is stopped hard.
  setTimeout(() => {
    for (const [, child] of children) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(code || 1);
  }, shutdownTimeoutMs() + 5_000).unref();
  Promise.all(children.map(([, child]) => (child.exitCode === null ? new Promise((resolve) => child.on('exit', resolve)) : null))).then(() =>
    process.exit(code),
  );
}

for (const [name, child] of children) {
  child.on('exit', (code, signal) => {
    if (!exiting) console.error(`[${name}] exited (${signal ?? `code ${code}`}); stopping the others`);
    shutdown(code ?? 1);
  });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(0, signal === 'SIGHUP' ? 'SIGTERM' : signal));

/**
 * "Open …" once the API answers its readiness probe: the embedded database can take a while to open
 * on a first start or a busy machine, and a page opened before that can only say "try again".
 */
async function announceWhenReady() {
  if (!runWeb) return;
  if (runApi) {
    console.log(`Starting: the API opens its database, then http://localhost:${webPort} is ready…`);
    for (;;) {
      if (exiting) return;
      const ok = await fetch(`http://127.0.0.1:${apiPort}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  console.log(`Open http://localhost:${webPort} (API on port ${apiPort})`);
}
void announceWhenReady();
