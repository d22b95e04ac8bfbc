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
// not per sign-in). Each builder's text is the same for the life of the process, so a fixed name is safe.
export async function findUserById(db: Db, id: string): Promise<UserWithMfa | undefined> {
  const [row] = await db
    .select(withMfa)
    .from(users)
    .leftJoin(totpCredentials, eq(totpCredentials.userId, users.id))
    .where(eq(users.id, id))
    .prepare('portcullis_user_by_id')
    .execute();
  return row;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserWithMfa | undefined> {
  const [row] = await db
    .select(withMfa)
    .from(users)
    .leftJoin(totpCredentials, eq(totpCredentials.userId, users.id))
    .where(eq(users.emailNormalized, normalizeEmail(email)))
    .prepare('portcullis_user_by_email')
    .execute();
  return row;
}

export async function countAdmins(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(users)
    .where(eq(users.role, 'admin'));
  return row?.n ?? 0;
}
