import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from '../paths.js';

/**
 * Drizzle's migrator reads and hashes every migration file and runs DDL (CREATE SCHEMA / TABLE IF
 * NOT EXISTS) on each start, a good part of a warm restart on the embedded database (issue 17).
 * Its rule (drizzle-orm pg-core dialect `migrate`) is: a migration runs when the newest applied
 * one's `created_at` is older than the migration's journal `when`. So when the newest applied
 * `created_at` is at least the journal's newest `when`, the migrator would do nothing, and one
 * SELECT says so. Anything else (a new migration, no table yet) goes to the migrator as before.
 */

export { MIGRATIONS };

/** The journal's newest `when`: the migrations folder's own record of what it holds. */
function newestMigration(): number {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return Math.max(...journal.entries.map((e) => e.when));
}

/** `query` runs one SQL statement and returns its rows. True when the migrator would apply nothing. */
export async function migrationsApplied(query: (text: string) => Promise<Record<string, unknown>[]>): Promise<boolean> {
  let rows: Record<string, unknown>[];
  try {
    rows = await query('select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1');
  } catch {
    // No migrations table yet (a new database): the migrator creates it.
    return false;
  }
  const applied = rows[0]?.created_at;
  return applied !== undefined && applied !== null && Number(applied) >= newestMigration();
}
