import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the API's own files are (its migrations, its data), found from wherever this code runs:
 * `src/` under tsx in development and tests, one bundled file in `dist/` in production
 * (scripts/build.mjs). Relative `import.meta.url` paths would differ between the two.
 */

function findApiRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@portcullis/api') return dir;
    if (path.dirname(dir) === dir) throw new Error(`the @portcullis/api package was not found above ${from}`);
  }
}

/** apps/api */
export const API_ROOT = findApiRoot(path.dirname(fileURLToPath(import.meta.url)));
/** The repository (or installation) root: where `.env` and the default `.data` are. */
export const REPO_ROOT = path.resolve(API_ROOT, '../..');
/** The SQL migrations, shared by PostgreSQL and the embedded database. */
export const MIGRATIONS = path.join(API_ROOT, 'drizzle');
/** Files the API reads at run time (the common-password list). */
export const API_DATA = path.join(API_ROOT, 'data');
