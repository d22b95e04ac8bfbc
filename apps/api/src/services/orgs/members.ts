import { and, asc, count, eq } from 'drizzle-orm';
import type { OrgMember } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../../context.js';
import type { Db } from '../../db/client.js';
import { organizationMembers, users, type OrgRole } from '../../db/schema.js';
import { recordAudit } from '../audit.js';
import { ApiError, forbidden, notFound } from '../errors.js';
import { readPage, type Page } from '../pagination.js';
import { confirmIdentity } from '../reauthentication.js';
import { inTransaction, type Tx } from '../transaction.js';
import { orgAccess, ownerCount, requireOrgPermission, requireRoleAtMost, revokeOrgRole, type OrgActor } from './access.js';

/**
 * Members of an organization: list, change a role, remove, leave, transfer ownership. Every change
 * locks the organization's row first (orgAccess with `lock`), so the "never without an owner" rule
 * holds under concurrent changes, and ends the old role's tokens at once (revokeOrgRole).
 */

const noMember = () => notFound('No such member.');
const lastOwner = () => new ApiError(409, 'CONFLICT', 'An organization needs an owner. Make someone else an owner first (or transfer ownership).');

const memberColumns = {
  userId: organizationMembers.userId,
  email: users.email,
  displayName: users.displayName,
  role: organizationMembers.role,
  joinedAt: organizationMembers.createdAt,
};

const toMember = (r: { userId: string; email: string; displayName: string; role: OrgRole; joinedAt: Date }): OrgMember => ({
  ...r,
  joinedAt: r.joinedAt.toISOString(),
});

const ofMember = (organizationId: string, userId: string) =>
  and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.userId, userId));

async function findMember(db: Db, organizationId: string, userId: string): Promise<OrgMember | undefined> {
  const [row] = await db
    .select(memberColumns)
    .from(organizationMembers)
    .innerJoin(users, eq(users.id, organizationMembers.userId))
    .where(ofMember(organizationId, userId));
  return row && toMember(row);
}

export async function listMembers(db: Db, organizationId: string, actor: OrgActor, page: Page) {
  await orgAccess(db, organizationId, actor);
  const where = eq(organizationMembers.organizationId, organizationId);
  return readPage('members', page, {
    items: async ({ limit, offset }) =>
      (
        await db
          .select(memberColumns)
          .from(organizationMembers)
          .innerJoin(users, eq(users.id, organizationMembers.userId))
          .where(where)
          .orderBy(asc(organizationMembers.createdAt), asc(organizationMembers.userId))
          .limit(limit)
          .offset(offset)
      ).map(toMember),
    count: () => db.select({ n: count() }).from(organizationMembers).where(where),
  });
}

export async function changeMemberRole(
  ctx: AppContext,
  organizationId: string,
  actor: OrgActor,
  userId: string,
  role: OrgRole,
  meta: RequestMeta,
): Promise<OrgMember> {
  return inTransaction(ctx, async (tx) => {
    const access = await orgAccess(tx, organizationId, actor, { lock: true });
    requireOrgPermission(access, 'manage_members');
    const target = await findMember(tx, organizationId, userId);
    if (!target) throw noMember();
    requireRoleAtMost(access, target.role, 'You cannot change the role of a member above you.');
    requireRoleAtMost(access, role, 'You cannot give a role above your own.');
    if (target.role === role) return target;
    if (target.role === 'owner' && (await ownerCount(tx, organizationId)) <= 1) throw lastOwner();
    await setRole(ctx, tx, organizationId, userId, role);
    await recordAudit(tx, { type: 'org.member_role_changed', userId, actorId: actor.userId, meta, details: { organizationId, from: target.role, to: role } });
    return { ...target, role };
  });
}

async function setRole(ctx: AppContext, tx: Tx, organizationId: string, userId: string, role: OrgRole): Promise<void> {
  await tx.update(organizationMembers).set({ role }).where(ofMember(organizationId, userId));
  await revokeOrgRole(ctx, tx, organizationId, [userId], role);
}

/** Removing someone else needs `manage_members` and a role at least theirs; your own id is leaving. */
export async function removeMember(ctx: AppContext, organizationId: string, actor: OrgActor, userId: string, meta: RequestMeta): Promise<void> {
  const leaving = userId === actor.userId;
  await inTransaction(ctx, async (tx) => {
    const access = await orgAccess(tx, organizationId, actor, { lock: true });
    const target = await findMember(tx, organizationId, userId);
    if (!target) throw noMember();
    if (!leaving) {
      requireOrgPermission(access, 'manage_members');
      requireRoleAtMost(access, target.role, 'You cannot remove a member above you.');
    }
    if (target.role === 'owner' && (await ownerCount(tx, organizationId)) <= 1) throw lastOwner();
    await tx.delete(organizationMembers).where(ofMember(organizationId, userId));
    await revokeOrgRole(ctx, tx, organizationId, [userId], null);
    await recordAudit(tx, {
      type: leaving ? 'org.member_left' : 'org.member_removed',
      userId,
      actorId: actor.userId,
      meta,
      details: { organizationId, role: target.role, email: target.email },
    });
  });
}

/** An owner hands the organization to another member, after re-authentication; the owner stays on as an admin. */
export async function transferOwnership(
  ctx: AppContext,
  organizationId: string,
  actor: OrgActor & { sessionId: string },
  userId: string,
  password: string | undefined,
  meta: RequestMeta,
): Promise<OrgMember[]> {
  const before = await orgAccess(ctx.db, organizationId, actor);
  if (before.role !== 'owner') throw forbidden('Only an owner can transfer ownership.');
  const identity = await confirmIdentity(ctx, { userId: actor.userId, sessionId: actor.sessionId }, password, meta, {
    stage: 'transfer_organization',
    action: 'transfer this organization',
    failureType: 'login.failed',
  });
  await identity.succeeded();
  return inTransaction(ctx, async (tx) => {
    const access = await orgAccess(tx, organizationId, actor, { lock: true });
    if (access.role !== 'owner') throw forbidden('Only an owner can transfer ownership.');
    if (userId === actor.userId) throw forbidden('You already own this organization.');
    const target = await findMember(tx, organizationId, userId);
    if (!target) throw noMember();
    if (target.role !== 'owner') await setRole(ctx, tx, organizationId, userId, 'owner');
    await setRole(ctx, tx, organizationId, actor.userId, 'admin');
    await recordAudit(tx, {
      type: 'org.ownership_transferred',
      userId,
      actorId: actor.userId,
      meta,
      details: { organizationId, from: actor.userId, to: userId },
    });
    const to = await findMember(tx, organizationId, userId);
    const from = await findMember(tx, organizationId, actor.userId);
    return [to, from].filter((m): m is OrgMember => m !== undefined);
  });
}
