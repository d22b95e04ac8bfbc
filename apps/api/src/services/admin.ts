import { and, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditEvents, totpCredentials, users } from '../db/schema.js';
import { offsetOf, type Page } from '../http/query.js';
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
  const [rows, [total]] = await Promise.all([
    db
      .select(withMfa)
      .from(users)
      .leftJoin(totpCredentials, eq(totpCredentials.userId, users.id))
      .where(where)
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(page.limit)
      .offset(offsetOf(page)),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { users: rows.map(toPublicUser), total: total?.n ?? 0 };
}

export async function getUserWithSessions(db: Db, id: string) {
  const user = await findUserById(db, id);
  if (!user) return undefined;
  const sessions = await listLiveSessions(db, id);
  return { user: toPublicUser(user), sessions: sessions.map((s) => toPublicSession(s)) };
}

export interface PublicAuditEvent {
  id: string;
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  details: Record<string, unknown>;
}

export async function listAuditEvents(db: Db, filter: { userId?: string; actorId?: string; type?: string }, page: Page) {
  const where = and(
    filter.userId ? eq(auditEvents.userId, filter.userId) : undefined,
    filter.actorId ? eq(auditEvents.actorId, filter.actorId) : undefined,
    filter.type ? eq(auditEvents.type, filter.type) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db.select().from(auditEvents).where(where).orderBy(desc(auditEvents.createdAt), desc(auditEvents.id)).limit(page.limit).offset(offsetOf(page)),
    db.select({ n: count() }).from(auditEvents).where(where),
  ]);
  const events: PublicAuditEvent[] = rows.map((e) => ({
    id: e.id,
    type: e.type,
    userId: e.userId,
    actorId: e.actorId,
    ip: e.ip,
    userAgent: e.userAgent,
    createdAt: e.createdAt.toISOString(),
    details: e.details,
  }));
  return { events, total: total?.n ?? 0 };
}
