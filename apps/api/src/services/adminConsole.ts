import { and, count, desc, eq, gte, ilike, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { adminConsole } from '@portcullis/contract';
import type { Db } from '../db/client.js';
import { auditEvents, oauthAccounts, totpCredentials, users } from '../db/schema.js';
import { escapeLike } from './admin.js';
import { readPage, type Page } from './pagination.js';
import { listLiveSessions, toPublicSession } from './sessions.js';
import { countAdmins, toPublicUser, withMfa, type UserWithMfa } from './users.js';

/**
 * What the admin console reads (not in the contract): users with their status columns, one
 * user's whole picture, and the audit log with the people it names. Changes live beside their
 * kind (accountLock.ts, invitations.ts, roles.ts).
 */

type AdminUser = adminConsole.AdminUser;
type AuditEntry = adminConsole.AuditEntry;
type SignInMethod = adminConsole.SignInMethod;

/** The providers linked to the user, read with the row (one query for a page of users). */
const providersOf = sql<
  string[]
>`array(select distinct ${oauthAccounts.provider} from ${oauthAccounts} where ${oauthAccounts.userId} = ${users.id} order by 1)`;
const withStatus = { ...withMfa, providers: providersOf };

export function toAdminUser(row: UserWithMfa & { providers: string[] }): AdminUser {
  const methods: SignInMethod[] = row.passwordHash ? ['password'] : [];
  for (const p of row.providers) if (p === 'google' || p === 'github' || p === 'oidc') methods.push(p);
  return {
    ...toPublicUser(row),
    lockedAt: row.lockedAt?.toISOString() ?? null,
    lockedReason: row.lockedReason,
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
    signInMethods: methods,
  };
}

export async function listAccounts(db: Db, filter: { query?: string; status?: 'locked' | 'invited' }, page: Page) {
  const pattern = filter.query ? `%${escapeLike(filter.query)}%` : undefined;
  const where = and(
    pattern ? or(ilike(users.email, pattern), ilike(users.displayName, pattern)) : undefined,
    filter.status === 'locked' ? isNotNull(users.lockedAt) : undefined,
    filter.status === 'invited'
      ? and(isNull(users.passwordHash), sql`not exists (select 1 from ${oauthAccounts} where ${oauthAccounts.userId} = ${users.id})`)
      : undefined,
  );
  const [listed, adminCount] = await Promise.all([
    readPage('users', page, {
      items: async ({ limit, offset }) =>
        (
          await db
            .select(withStatus)
            .from(users)
            .leftJoin(totpCredentials, eq(totpCredentials.userId, users.id))
            .where(where)
            .orderBy(desc(users.createdAt), desc(users.id))
            .limit(limit)
            .offset(offset)
        ).map(toAdminUser),
      count: () => db.select({ n: count() }).from(users).where(where),
    }),
    countAdmins(db),
  ]);
  return { ...listed, adminCount };
}

export async function findAdminUser(db: Db, id: string): Promise<AdminUser | undefined> {
  const [row] = await db.select(withStatus).from(users).leftJoin(totpCredentials, eq(totpCredentials.userId, users.id)).where(eq(users.id, id));
  return row ? toAdminUser(row) : undefined;
}

export async function getAccount(db: Db, id: string) {
  const user = await findAdminUser(db, id);
  if (!user) return undefined;
  const [sessions, identities, recent, adminCount] = await Promise.all([
    listLiveSessions(db, id),
    db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, id)).orderBy(oauthAccounts.linkedAt),
    readAuditEntries(db, auditWhere({ userId: id }), { limit: 20, offset: 0 }),
    countAdmins(db),
  ]);
  return {
    user,
    sessions: sessions.map((s) => toPublicSession(s)),
    identities: identities.map((i) => ({ id: i.id, provider: i.provider, email: i.email, linkedAt: i.linkedAt.toISOString() })),
    recentEvents: recent.map((r) => r.entry),
    adminCount,
  };
}

export interface AuditFilter {
  person?: string;
  userId?: string;
  type?: string;
  from?: string;
  to?: string;
}

/** The filters combine; a person (text) or a user id matches events about them or done by them. */
export function auditWhere(filter: AuditFilter): SQL | undefined {
  let person: SQL | undefined;
  if (filter.person) {
    const pattern = `%${escapeLike(filter.person)}%`;
    const matching = sql`(select ${users.id} from ${users} where ${users.email} ilike ${pattern} or ${users.displayName} ilike ${pattern})`;
    person = or(inArray(auditEvents.userId, matching), inArray(auditEvents.actorId, matching));
  }
  return and(
    person,
    filter.userId ? or(eq(auditEvents.userId, filter.userId), eq(auditEvents.actorId, filter.userId)) : undefined,
    filter.type ? eq(auditEvents.type, filter.type) : undefined,
    filter.from ? gte(auditEvents.createdAt, new Date(filter.from)) : undefined,
    filter.to ? lt(auditEvents.createdAt, new Date(filter.to)) : undefined,
  );
}

const subject = alias(users, 'subject');
const actor = alias(users, 'actor');

/** Events with their people, newest first; `cursor` is the exact creation time (microseconds) for keyset reading. */
async function readAuditEntries(db: Db, where: SQL | undefined, window: { limit: number; offset: number }) {
  const rows = await db
    .select({
      event: auditEvents,
      cursor: sql<string>`${auditEvents.createdAt}::text`,
      user: { id: subject.id, email: subject.email, displayName: subject.displayName },
      actor: { id: actor.id, email: actor.email, displayName: actor.displayName },
    })
    .from(auditEvents)
    .leftJoin(subject, eq(subject.id, auditEvents.userId))
    .leftJoin(actor, eq(actor.id, auditEvents.actorId))
    .where(where)
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(window.limit)
    .offset(window.offset);
  return rows.map((r) => ({
    cursor: { at: r.cursor, id: r.event.id },
    entry: {
      id: r.event.id,
      type: r.event.type,
      userId: r.event.userId,
      actorId: r.event.actorId,
      ip: r.event.ip,
      userAgent: r.event.userAgent,
      createdAt: r.event.createdAt.toISOString(),
      details: r.event.details,
      user: r.user?.id ? r.user : null,
      actor: r.actor?.id ? r.actor : null,
    } satisfies AuditEntry,
  }));
}

export async function listAuditLog(db: Db, filter: AuditFilter, page: Page) {
  const where = auditWhere(filter);
  return readPage('events', page, {
    items: async (window) => (await readAuditEntries(db, where, window)).map((r) => r.entry),
    count: () => db.select({ n: count() }).from(auditEvents).where(where),
  });
}

/**
 * Every matching event, newest first, `batch` at a time: each batch continues after the last row
 * of the one before (its exact time and id), so events written meanwhile neither repeat nor shift
 * the export, and memory holds one batch whatever the log's size.
 */
export async function* auditLogBatches(db: Db, filter: AuditFilter, batch = 500): AsyncGenerator<AuditEntry[]> {
  const where = auditWhere(filter);
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const keyset = after ? sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined;
    const rows = await readAuditEntries(db, and(where, keyset), { limit: batch, offset: 0 });
    if (rows.length > 0) yield rows.map((r) => r.entry);
    const last = rows.at(-1);
    if (rows.length < batch || !last) return;
    after = last.cursor;
  }
}
