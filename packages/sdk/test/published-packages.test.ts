// The three published packages as a user gets them: build (scripts/build-packages.mjs), `npm pack`,
// install the tarballs into a fresh project outside the workspace (from npm's cache), type-check
// and compile a small app with tsc and run it against a live API (published/app.tsx); then the
// same project is a Next.js App Router app (published/next): `next build`, `next start`, and a
// protected page and API route answer a signed-out and a signed-in visitor.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PACKAGES = ['sdk', 'react', 'nextjs'];

interface RunningApi {
  url: string;
  env: Record<string, string>;
  close(): Promise<void>;
}
// Imported through a variable so that this package's tsc does not pull the API's sources in.
const helperPath = '@portcullis/testing/server';
const startServer = async (): Promise<RunningApi> =>
  ((await import(/* @vite-ignore */ helperPath)) as { startServer: () => Promise<RunningApi> }).startServer();

let work: string;
let app: string;
let api: RunningApi;
let site: ChildProcess | undefined;
const tarballs: string[] = [];
/** The workspace's own version of a dependency: the fresh app gets exactly that one. */
const workspaceVersion = async (name: string) =>
  (JSON.parse(await readFile(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(async () => {
  // Async child processes throughout: the API under test runs in this process and must answer.
  const serverStarted = startServer();
  work = await mkdtemp(path.join(tmpdir(), 'portcullis-packed-'));
  await run(process.execPath, [path.join(ROOT, 'scripts/build-packages.mjs'), ...PACKAGES], { cwd: ROOT });
  for (const name of PACKAGES) {
    const { stdout } = await run('npm', ['pack', path.join(ROOT, 'packages', name, 'dist'), '--pack-destination', work, '--json'], { cwd: work });
    tarballs.push(path.join(work, (JSON.parse(stdout) as { filename: string }[])[0]!.filename));
  }
  app = path.join(work, 'app');
  await cp(path.join(ROOT, 'packages/sdk/test/published/app.tsx'), path.join(app, 'src/app.tsx'));
  await cp(path.join(ROOT, 'packages/sdk/test/published/next'), app, { recursive: true });
  const dependencies = Object.fromEntries(tarballs.map((file, i) => [`@portcullis/${PACKAGES[i]}`, `file:${file}`]));
  const versions = Object.fromEntries(
    await Promise.all(
      ['next', 'react', 'react-dom', 'typescript', '@types/react', '@types/react-dom', '@types/node'].map(async (n) => [n, await workspaceVersion(n)]),
    ),
  );
  await writeFile(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'packed-app', private: true, type: 'module', dependencies: { ...dependencies, ...versions } }),
  );
  // Peers are the app's own (react, next above), at the workspace's versions, so that all of it is
  // in npm's cache already. --prefer-offline, not --offline: `npm ci` caches tarballs but not the
  // registry metadata that resolving the packages' version ranges needs; once fetched, that comes
  // from the cache too.
  await run('npm', ['install', '--prefer-offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], { cwd: app });
  // tsconfig.json is the Next.js app's (bundler resolution); the plain Node program has its own.
  await writeFile(
    path.join(app, 'tsconfig.node.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        jsx: 'react-jsx',
        strict: true,
        // Next.js's own declarations do not all check under NodeNext; the packages' are checked
        // through the app's use of them.
        skipLibCheck: true,
        types: ['node'],
        outDir: 'dist',
      },
      include: ['src'],
    }),
  );
  api = await serverStarted;
  // Building, packing and installing Next.js from the cache took over 5 min on a busy machine: the bound only catches a hang.
}, 1_200_000);

afterAll(async () => {
  site?.kill('SIGTERM');
  await api?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('published packages', () => {
  it('pack only built files, with an exports map, licence and README, and no workspace-only dependency', async () => {
    for (const name of PACKAGES) {
      const dist = path.join(ROOT, 'packages', name, 'dist');
      const manifest = { default: JSON.parse(await readFile(path.join(dist, 'package.json'), 'utf8')) as Record<string, unknown> };
      expect(manifest.default).toMatchObject({ name: `@portcullis/${name}`, license: 'MIT', type: 'module' });
      expect(manifest.default.private).toBeUndefined();
      expect((manifest.default.exports as Record<string, unknown>)['.']).toEqual({ types: './index.d.ts', default: './index.js' });
      expect(JSON.stringify(manifest.default.dependencies ?? {})).not.toContain('@portcullis/contract');
      const files = await readdir(dist);
      expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'index.js', 'index.d.ts']));
      expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    }
  });

  it('type-check against the installed packages, then run against a live API', { timeout: 900_000 }, async () => {
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', path.join(app, 'tsconfig.node.json')], { cwd: app }).catch((err: { stdout?: string }) => {
      throw new Error(`tsc failed:\n${err.stdout ?? String(err)}`);
    });
    const { stdout } = await run(process.execPath, [path.join(app, 'dist/app.js')], {
      cwd: app,
      env: { ...process.env, PORTCULLIS_API_URL: api.url, JWT_ISSUER: api.env.JWT_ISSUER, JWT_AUDIENCE: api.env.JWT_AUDIENCE ?? 'portcullis' },
    });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(seen).toMatchObject({
      registered: true,
      claims: { sub: true, role: 'user' },
      mayWrite: false,
      guarded: { any: 200, none: 401, read: 200, write: 403 },
      loginStatus: 200,
      session: { kind: 'signed-in' },
      proxy: { signedOut: [307, 'http://app.test/login?redirect=%2Fdashboard%2Fx%3Fy%3D1'], signedIn: [200, '1'], admin: 403, public: '1' },
    });
    expect(seen.html).toContain('<b>Packed App</b>');
    expect(seen.html).toContain('may-read');
    expect(seen.html).toContain('no-write');
    expect(seen.html).not.toContain('may-write');
    expect(seen.html).not.toContain('signed-out');
    expect(seen.signedOutHtml).toBe('signed-out');
  });

  it('a fresh Next.js app: the proxy helper and getSession() protect a page, requirePermission an API route', { timeout: 900_000 }, async () => {
    const next = path.join(app, 'node_modules/next/dist/bin/next');
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORTCULLIS_API_URL: api.url,
      JWT_ISSUER: api.env.JWT_ISSUER,
      JWT_AUDIENCE: api.env.JWT_AUDIENCE ?? 'portcullis',
    };
    // One production build (it type-checks the app against the installed packages' declarations).
    await run(process.execPath, [next, 'build'], { cwd: app, env, maxBuffer: 32 * 1024 * 1024 }).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`next build failed:\n${err.stdout ?? ''}${err.stderr ?? String(err)}`);
    });
    const base = await startSite(next, env);

    // A user of the API (role 'user': may read, is no admin), signed in with a session cookie and a bearer token.
    const email = `next.${Date.now().toString(36)}@example.com`;
    const password = 'Correct-Horse-9!';
    const post = (route: string, body: unknown) =>
      fetch(`${api.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', origin: api.url },
        body: JSON.stringify(body),
      });
    expect((await post('/api/auth/register', { email, password, displayName: 'Next Reader' })).status).toBe(201);
    const login = await post('/api/auth/login', { email, password });
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { id: string } };
    const sessionCookie = /portcullis_session=([^;]+)/.exec(login.headers.getSetCookie().join('\n'))?.[1];
    expect(sessionCookie).toBeTruthy();
    const get = (route: string, headers: Record<string, string> = {}) => fetch(`${base}${route}`, { headers, redirect: 'manual' });
    const cookie = { cookie: `portcullis_session=${sessionCookie}` };

    // The page: signed out → sign-in with a way back; signed in → rendered with the user's name.
    const signedOut = await get('/dashboard?tab=1');
    expect(signedOut.status).toBe(307);
    expect(new URL(signedOut.headers.get('location') ?? '', base).pathname + new URL(signedOut.headers.get('location') ?? '', base).search).toBe(
      '/login?redirect=%2Fdashboard%3Ftab%3D1',
    );
    const page = await get('/dashboard', cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toContain('no-store');
    // The rendered markup only: the RSC payload after it also carries the client components' props.
    const main = /<main>(.*?)<\/main>/s.exec(await page.text())?.[1];
    expect(main).toBe('<p id="who">Next Reader</p><p>not-admin</p>');
    // A path whose rule asks for a permission the user's role lacks.
    expect((await get('/admin', cookie)).status).toBe(403);

    // The API route: no token or a forged one → 401 in the contract's shape; the bearer token → 200.
    const none = await get('/api/me');
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    expect((await get('/api/me', { authorization: 'Bearer not.a.token' })).status).toBe(401);
    const me = await get('/api/me', { authorization: `Bearer ${accessToken}` });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ sub: user.id, role: 'user' });
  });
});

/** A loopback port that was free a moment ago. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** `next start` on a free port; resolves with its origin once it answers, rejects with its output if it exits first. */
async function startSite(next: string, env: NodeJS.ProcessEnv): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [next, 'start', '-p', String(port), '-H', '127.0.0.1'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  site = child;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  const base = `http://127.0.0.1:${port}`;
  // Bounded by the test's timeout only: how long a start takes says nothing about the packages.
  for (;;) {
    if (exited) throw new Error(`next start exited:\n${output}`);
    const answered = await fetch(`${base}/api/me`).then(
      () => true,
      () => false,
    );
    if (answered) return base;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
