import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { User } from '@portcullis/contract';
import type { Db } from '../db/client.js';
import { totpCredentials, users } from '../db/schema.js';

/** The only shape in which a user leaves the server (the contract's User): never a hash, secret or token. */
export type PublicUser = User;

export type UserRow = typeof users.$inferSelect;
export type UserWithMfa = UserRow & { mfaEnabled: boolean };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toPublicUser(user: UserWithMfa): User {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    emailVerified: user.emailVerifiedAt !== null,
    mfaEnabled: user.mfaEnabled,
    createdAt: user.createdAt.toISOString(),
  };
}

export const withMfa = {
  ...getTableColumns(users),
  mfaEnabled: sql<boolean>`${totpCredentials.enabledAt} is not null`.mapWith(Boolean),
};

// The two lookups are named prepared statements (db/namedStatement.ts: planned once per connection,
// not per sign-in), built once per database handle with a placeholder: building and rendering the
// query took 72 µs a call, 8% of a sign-in's event-loop samples (issue 12). The text never
// changes, so a fixed name is safe; a transaction's handle gets its own, dropped with it.
function lookup(column: typeof users.id | typeof users.emailNormalized, name: string) {
  const build = (db: Db) =>
    db
      .select(withMfa)
      .from(users)
      .leftJoin(totpCredentials, eq(totpCredentials.userId, users.id))
      .where(eq(column, sql.placeholder('key')))
      .prepare(name);
  const built = new WeakMap<Db, ReturnType<typeof build>>();
  return async (db: Db, key: string): Promise<UserWithMfa | undefined> => {
    let query = built.get(db);
    if (!query) built.set(db, (query = build(db)));
    const [row] = await query.execute({ key });
    return row;
  };
}

const byId = lookup(users.id, 'portcullis_user_by_id');
const byEmail = lookup(users.emailNormalized, 'portcullis_user_by_email');

export function findUserById(db: Db, id: string): Promise<UserWithMfa | undefined> {
  return byId(db, id);
}

export function findUserByEmail(db: Db, email: string): Promise<UserWithMfa | undefined> {
  return byEmail(db, normalizeEmail(email));
}

export async function countAdmins(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(users)
    .where(eq(users.role, 'admin'));
  return row?.n ?? 0;
}
