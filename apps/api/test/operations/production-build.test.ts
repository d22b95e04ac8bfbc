import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import { freshPostgresDatabase, spawnApi, waitUntilReady } from '../faults/helpers/processes.js';

/**
 * Production runs the built API under plain node, no tsx (issue 15, and the warm restart of issue
 * 17): `npm run build:api` bundles it into apps/api/dist, which must then serve the contract on
 * either database, find its migrations and data, and shut down cleanly.
 */

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DIST = path.join(ROOT, 'apps/api/dist');
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('the production build', () => {
  it('builds plain JavaScript that loads nothing from TypeScript sources', () => {
    execFileSync(process.execPath, ['apps/api/scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    const files = [...readdirSync(DIST), ...readdirSync(path.join(DIST, 'chunks')).map((f) => `chunks/${f}`)].filter((f) => f.endsWith('.js'));
    expect(files).toEqual(expect.arrayContaining(['main.js', 'cluster.js', 'cli.js']));
    for (const file of files) {
      const code = readFileSync(path.join(DIST, file), 'utf8');
      // Every import is a package in node_modules, a builtin or another file of the build.
      const specifiers = [...code.matchAll(/(?:^|\n)import\s[^;]*?from\s*"([^"]+)"|import\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2] ?? '');
      for (const specifier of specifiers) expect(specifier, `${file} imports ${specifier}`).not.toMatch(/\.ts$|^tsx|@portcullis\//);
    }
  });

  it('serves the contract under plain node, then drains and exits 0 on SIGTERM', async () => {
    const env: Record<string, string> = {};
    if (process.env.DATABASE_URL) {
      const database = await freshPostgresDatabase(process.env.DATABASE_URL);
      cleanups.push(() => database.drop());
      env.DATABASE_URL = database.url;
    } else {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'portcullis-built-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      env.DATA_DIR = dataDir;
    }
    // Classes off, so that a listed password reaches the list check.
    const api = await spawnApi({ ...env, PASSWORD_REQUIRE_CLASSES: 'false' }, { built: true });
    cleanups.push(() => void api.child.kill('SIGKILL'));
    await waitUntilReady(api);
    // No TypeScript loader in the process.
    expect(readFileSync(`/proc/${api.child.pid}/cmdline`, 'utf8')).not.toContain('tsx');

    // The migrations ran (a sign-up writes users and sessions) and the common-password list is found.
    const person = await registerUser(api.url);
    expect((await request(api.url, 'GET', '/api/auth/me', { headers: bearer(person.accessToken) })).status).toBe(200);
    const common = await request(api.url, 'POST', '/api/auth/register', { body: { email: 'common@example.com', password: 'QWERTYUIOP', displayName: 'C' } });
    expect(common.status).toBe(400);
    expect(JSON.stringify(common.body)).toMatch(/common/i);
    const openapi = await request(api.url, 'GET', '/api/openapi.json');
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toContain('/api/auth/login');
    expect((await fetch(`${api.url}/api/docs/`)).status).toBe(200);

    api.child.kill('SIGTERM');
    expect(await api.exited, api.output.join('')).toBe(0);
    expect(api.output.join('')).toMatch(/shut down cleanly/);
  });
});
