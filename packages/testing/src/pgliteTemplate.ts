// A migrated, empty embedded database, dumped once to a file that every test server on the
// embedded database then starts from (server.ts). A fresh PGlite runs initdb first: at a load
// average of 40 a bare `new PGlite()` took 44 s, against 21 s from the dump (migrations: 1.5 s).
// The file is named by a hash of the migrations and the PGlite version, so a new migration (or
// PGlite) makes a new template; one a migration is missing from is still migrated on open.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from '@portcullis/api/src/db/migrations.js';
import { ROOT } from './apiProcess.js';

function hashTree(hash: ReturnType<typeof createHash>, target: string): void {
  if (statSync(target).isDirectory()) {
    for (const entry of readdirSync(target).sort()) hashTree(hash, path.join(target, entry));
  } else {
    hash.update(path.relative(MIGRATIONS, target)).update(readFileSync(target));
  }
}

/** Where the template for the current migrations and PGlite version lives. */
export function templatePath(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(path.join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  hashTree(hash, MIGRATIONS);
  return path.join(ROOT, 'node_modules', '.cache', 'portcullis-pglite', `${hash.digest('hex').slice(0, 16)}.tar`);
}

/** Makes the template unless it exists. Written beside and renamed into place: never read half-written. */
export async function ensureTemplate(): Promise<void> {
  const file = templatePath();
  if (existsSync(file)) return;
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const client = new PGlite();
  try {
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS });
    // Everything on disk, so that a database started from the dump needs no recovery.
    await client.query('checkpoint');
    const dump = await client.dumpDataDir('none');
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
    renameSync(temporary, file);
  } finally {
    await client.close();
  }
}

let loaded: { file: string; blob: Blob } | undefined;

/** The template as PGlite's loadDataDir wants it, read once per process; undefined when there is none. */
export function loadTemplate(): Blob | undefined {
  const file = templatePath();
  if (loaded?.file === file) return loaded.blob;
  if (!existsSync(file)) return undefined;
  loaded = { file, blob: new Blob([readFileSync(file)]) };
  return loaded.blob;
}
