// The three published packages as a user gets them: build (scripts/build-packages.mjs), `npm pack`,
// install the tarballs into a fresh project outside the workspace (offline, from npm's cache),
// type-check and compile a small app with tsc, and run it against a live API (published/app.tsx).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
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
const tarballs: string[] = [];

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
  const dependencies = Object.fromEntries(tarballs.map((file, i) => [`@portcullis/${PACKAGES[i]}`, `file:${file}`]));
  await writeFile(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'packed-app',
      private: true,
      type: 'module',
      dependencies: {
        ...dependencies,
        react: '^19.3.1',
        'react-dom': '^19.3.1',
        '@types/react': '^19.3.0',
        '@types/react-dom': '^19.3.0',
        '@types/node': '^20.19.43',
      },
    }),
  );
  // Peers are the app's own (react above); Next.js, the host framework, is large: the app links
  // the workspace's copy below rather than unpacking it from the cache again.
  // --prefer-offline, not --offline: `npm ci` caches tarballs but not the registry metadata that
  // resolving the packages' version ranges needs; once fetched, that comes from the cache too.
  await run('npm', ['install', '--prefer-offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], { cwd: app });
  await symlink(path.join(ROOT, 'node_modules/next'), path.join(app, 'node_modules/next'), 'dir');
  await writeFile(
    path.join(app, 'tsconfig.json'),
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
});

afterAll(async () => {
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

  it('type-check against the installed packages, then run against a live API', async () => {
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', path.join(app, 'tsconfig.json')], { cwd: app }).catch((err: { stdout?: string }) => {
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
});
