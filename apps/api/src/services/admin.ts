import { and, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { AuditEvent } from '@portcullis/contract';
import type { Db } from '../db/client.js';
import { auditEvents, totpCredentials, users } from '../db/schema.js';
import { readPage, type Page } from './pagination.js';
import { listLiveSessions, toPublicSession } from './sessions.js';
import { findUserById, toPublicUser, withMfa } from './users.js';

/** What an admin reads: users (searchable) and the audit log. Changes live in roles.ts. */

/** `%` and `_` are LIKE wildcards and `\` their escape (PostgreSQL's default): all matched literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listUsers(db: Db, filter: { query?: string }, page: Page) {
  let where: SQL | undefined;
  if (filter.query) {
    const pattern = `%${escapeLike(filter.query)}%`;
    where = or(ilike(users.email, pattern), ilike(users.displayName, pattern));
  }
  return readPage('users', page, {
    items: async ({ limit, offset }) =>
      (
        await db
          .select(withMfa)
          .from(users)
          .leftJoin(totpCredentials, eq(totpCredentials.userId, users.id))
          .where(where)
          .orderBy(desc(users.createdAt), desc(users.id))
          .limit(limit)
          .offset(offset)
      ).map(toPublicUser),
    count: () => db.select({ n: count() }).from(users).where(where),
  });
}

export async function getUserWithSessions(db: Db, id: string) {
  const user = await findUserById(db, id);
  if (!user) return undefined;
  const sessions = await listLiveSessions(db, id);
  return { user: toPublicUser(user), sessions: sessions.map((s) => toPublicSession(s)) };
}

export async function listAuditEvents(db: Db, filter: { userId?: string; actorId?: string; type?: string }, page: Page) {
  const where = and(
    filter.userId ? eq(auditEvents.userId, filter.userId) : undefined,
    filter.actorId ? eq(auditEvents.actorId, filter.actorId) : undefined,
    filter.type ? eq(auditEvents.type, filter.type) : undefined,
  );
  return readPage('events', page, {
    items: async ({ limit, offset }) =>
      (await db.select().from(auditEvents).where(where).orderBy(desc(auditEvents.createdAt), desc(auditEvents.id)).limit(limit).offset(offset)).map(
        toAuditEvent,
      ),
    count: () => db.select({ n: count() }).from(auditEvents).where(where),
  });
}

export function toAuditEvent(e: typeof auditEvents.$inferSelect): AuditEvent {
  return {
    id: e.id,
    type: e.type,
    userId: e.userId,
    actorId: e.actorId,
    ip: e.ip,
    userAgent: e.userAgent,
    createdAt: e.createdAt.toISOString(),
    details: e.details,
  };
}
