// How a test starts the API, its operator CLI or the cluster primary as a process of its own: the
// production bundle (apps/api/dist, `npm run build:api`) under plain node. Under tsx every such
// process compiled the API's TypeScript again at start: `portcullis --help` took 44–56 s under tsx
// against 16–18 s from the bundle at a load average of 40, and some files start dozens of them.
// The bundle is built (when older than its sources) once per test run, by globalSetup.ts, the
// suite's global setup. Running from source under tsx stays covered where it is the subject:
// `npm run cli` in the CLI test, and the start-up, signal and multi-instance tests of operations/
// and faults/ (on PostgreSQL at a load average of 48, bundled instances failed to start: their 3 s
// database connection timeout ran out while the bundle loaded; not yet understood).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DIST = path.join(ROOT, 'apps', 'api', 'dist');

export type ApiEntry = 'main' | 'cli' | 'cluster';

/** `node` arguments that run `entry` from the bundle: spawn(process.execPath, [...apiEntryArgs('cli'), ...args]). */
export function apiEntryArgs(entry: ApiEntry): string[] {
  return [path.join(DIST, `${entry}.js`)];
}

/** Everything the bundle is made of. */
const SOURCES = [
  path.join(ROOT, 'apps', 'api', 'src'),
  path.join(ROOT, 'apps', 'api', 'package.json'),
  ...['contract', 'sdk'].map((p) => path.join(ROOT, 'packages', p, 'src')),
];

/** The newest modification time of a file or anything below a folder (0 when it does not exist): is a build older than its sources? */
export function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Whether every entry of the bundle is newer than every source file. */
export function apiBundleIsFresh(): boolean {
  const entries = (['main', 'cli', 'cluster'] as const).map((e) => path.join(DIST, `${e}.js`));
  if (!entries.every(existsSync)) return false;
  const built = Math.min(...entries.map((e) => statSync(e).mtimeMs));
  return SOURCES.every((source) => newestMtime(source) < built);
}
