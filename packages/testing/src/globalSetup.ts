// Vitest global setup (vitest.config.ts): work done once per test run instead of in every file.
// - The API bundle that tests spawning API, CLI or cluster processes start (apiProcess.ts), built
//   when older than its sources. build.mjs renames each file into place, so a process that starts
//   the API meanwhile never reads half a file.
// - The migrated embedded-database template that test servers start from (pgliteTemplate.ts).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { apiBundleIsFresh, ROOT } from './apiProcess.js';
import { ensureTemplate } from './pgliteTemplate.js';

export default async function setup(): Promise<void> {
  const bundle = apiBundleIsFresh()
    ? Promise.resolve()
    : promisify(execFile)(process.execPath, [path.join(ROOT, 'apps', 'api', 'scripts', 'build.mjs')], { cwd: ROOT });
  // Only the embedded database starts from it; without DATABASE_URL every test server does.
  await Promise.all([bundle, process.env.DATABASE_URL ? undefined : ensureTemplate()]);
}
