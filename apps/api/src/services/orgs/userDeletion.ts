import { and, asc, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../../context.js';
import { organizationMembers, organizations, projects } from '../../db/schema.js';
import { recordAudit } from '../audit.js';
import type { Tx } from '../transaction.js';
import { revokeOrgRole } from './access.js';

/**
 * Before a user is deleted (services/roles.ts deleteUser, in its transaction): no organization is
 * left without an owner, and its projects do not go with the person who created them. An
 * organization they owned alone passes to its longest-standing admin (else member); one with
 * nobody else in it goes, with its projects. Their organization projects pass to an owner.
 */
export async function handOverOrganizations(ctx: AppContext, tx: Tx, userId: string, meta: RequestMeta | undefined): Promise<void> {
  const owned = await tx
    .select({ organizationId: organizationMembers.organizationId })
    .from(organizationMembers)
    .where(and(eq(organizationMembers.userId, userId), eq(organizationMembers.role, 'owner')));
  for (const { organizationId } of owned) {
    await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organizationId)).for('update');
    const others = await tx
      .select({ userId: organizationMembers.userId, role: organizationMembers.role })
      .from(organizationMembers)
      .where(and(eq(organizationMembers.organizationId, organizationId), ne(organizationMembers.userId, userId)))
      .orderBy(sql`case ${organizationMembers.role} when 'owner' then 0 when 'admin' then 1 else 2 end`, asc(organizationMembers.createdAt));
    const successor = others[0];
    if (!successor) {
      await tx.delete(projects).where(eq(projects.organizationId, organizationId));
      await tx.delete(organizations).where(eq(organizations.id, organizationId));
      await recordAudit(tx, { type: 'org.deleted', userId, actorId: null, meta, details: { organizationId, reason: 'last_member_deleted' } });
      continue;
    }
    if (successor.role !== 'owner') {
      await tx
        .update(organizationMembers)
        .set({ role: 'owner' })
        .where(and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.userId, successor.userId)));
      await revokeOrgRole(ctx, tx, organizationId, [successor.userId], 'owner');
      await recordAudit(tx, {
        type: 'org.ownership_transferred',
        userId: successor.userId,
        actorId: null,
        meta,
        details: { organizationId, from: userId, to: successor.userId, reason: 'owner_deleted' },
      });
    }
  }
  // Projects they created in organizations stay there, now owned (as a record) by one of its owners.
  await tx.execute(sql`
    update ${projects} set owner_id = (
      select m.user_id from ${organizationMembers} m
      where m.organization_id = ${projects.organizationId} and m.role = 'owner' and m.user_id <> ${userId}
      order by m.created_at limit 1)
    where ${projects.ownerId} = ${userId} and ${isNotNull(projects.organizationId)}
      and exists (select 1 from ${organizationMembers} m where m.organization_id = ${projects.organizationId} and m.role = 'owner' and m.user_id <> ${userId})`);
}
