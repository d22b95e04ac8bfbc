import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { auditEvents } from '../../db/schema.js';
import { toAuditEvent } from '../admin.js';
import { readPage, type Page } from '../pagination.js';
import { orgAccess, requireOrgPermission, type OrgActor } from './access.js';

/**
 * An organization's audit events, for its owners and admins (`manage_members`) and global admins:
 * every organization event records `organizationId` in its details (an index covers it).
 */
export async function listOrgAudit(db: Db, organizationId: string, actor: OrgActor, page: Page) {
  requireOrgPermission(await orgAccess(db, organizationId, actor), 'manage_members');
  const where = and(sql`${auditEvents.details} ? 'organizationId'`, eq(sql`${auditEvents.details}->>'organizationId'`, organizationId));
  return readPage('events', page, {
    items: async ({ limit, offset }) =>
      (await db.select().from(auditEvents).where(where).orderBy(desc(auditEvents.createdAt), desc(auditEvents.id)).limit(limit).offset(offset)).map(
        toAuditEvent,
      ),
    count: () => db.select({ n: count() }).from(auditEvents).where(where),
  });
}
