import { count, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Membership } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../../context.js';
import type { Db } from '../../db/client.js';
import { organizationMembers, organizations, projects, users } from '../../db/schema.js';
import { escapeLike } from '../admin.js';
import { recordAudit } from '../audit.js';
import { ApiError } from '../errors.js';
import { readPage, type Page } from '../pagination.js';
import { confirmIdentity } from '../reauthentication.js';
import { inTransaction } from '../transaction.js';
import { memberRole, membershipOf, notAMember, orgAccess, requireOrgPermission, revokeOrgRole, toPublicOrganization, type OrgActor } from './access.js';

/** Creating, reading, renaming and deleting organizations (issue 16). Members: members.ts; invitations: invitations.ts. */

const slugTaken = () => new ApiError(409, 'CONFLICT', 'This slug is taken.', [{ field: 'slug', message: 'This slug is taken. Choose another.' }]);

/** The unique index decides, so two people asking for one slug at once cannot both get it. */
const isSlugConflict = (error: unknown) => {
  const cause = (error as { cause?: { code?: string; constraint?: string } } | undefined)?.cause ?? (error as { code?: string; constraint?: string });
  return cause?.code === '23505';
};

export async function listMyOrganizations(db: Db, userId: string): Promise<Membership[]> {
  const rows = await db
    .select({ organization: organizations, role: organizationMembers.role })
    .from(organizationMembers)
    .innerJoin(organizations, eq(organizations.id, organizationMembers.organizationId))
    .where(eq(organizationMembers.userId, userId))
    .orderBy(organizations.name, organizations.id);
  const counts = await memberCounts(
    db,
    rows.map((r) => r.organization.id),
  );
  return rows.map((r) => ({ organization: toPublicOrganization(r.organization), role: r.role, memberCount: counts.get(r.organization.id) ?? 0 }));
}

async function memberCounts(db: Db, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: organizationMembers.organizationId, n: count() })
    .from(organizationMembers)
    .where(inArray(organizationMembers.organizationId, ids))
    .groupBy(organizationMembers.organizationId);
  return new Map(rows.map((r) => [r.id, r.n]));
}

export async function createOrganization(
  ctx: AppContext,
  actor: OrgActor,
  input: { name: string; slug: string; logoUrl?: string | null | undefined },
  meta: RequestMeta,
): Promise<Membership> {
  try {
    return await inTransaction(ctx, async (tx) => {
      const [organization] = await tx
        .insert(organizations)
        .values({ name: input.name, slug: input.slug, logoUrl: input.logoUrl ?? null })
        .returning();
      if (!organization) throw new Error('createOrganization: no row');
      await tx.insert(organizationMembers).values({ organizationId: organization.id, userId: actor.userId, role: 'owner' });
      await recordAudit(tx, {
        type: 'org.created',
        userId: actor.userId,
        meta,
        details: { organizationId: organization.id, name: organization.name, slug: organization.slug },
      });
      return { organization: toPublicOrganization(organization), role: 'owner' as const, memberCount: 1 };
    });
  } catch (error) {
    if (isSlugConflict(error)) throw slugTaken();
    throw error;
  }
}

export async function getOrganization(db: Db, organizationId: string, actor: OrgActor): Promise<Membership> {
  return membershipOf(db, await orgAccess(db, organizationId, actor));
}

export async function updateOrganization(
  ctx: AppContext,
  organizationId: string,
  actor: OrgActor,
  input: { name?: string | undefined; slug?: string | undefined; logoUrl?: string | null | undefined; autoJoinDomain?: string | null | undefined },
  meta: RequestMeta,
): Promise<Membership> {
  try {
    return await inTransaction(ctx, async (tx) => {
      const access = await orgAccess(tx, organizationId, actor, { lock: true });
      requireOrgPermission(access, 'manage_organization');
      if (input.autoJoinDomain) await requireOwnVerifiedDomain(tx, actor.userId, input.autoJoinDomain);
      const [organization] = await tx
        .update(organizations)
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.slug !== undefined && { slug: input.slug }),
          ...(input.logoUrl !== undefined && { logoUrl: input.logoUrl }),
          ...(input.autoJoinDomain !== undefined && { autoJoinDomain: input.autoJoinDomain }),
          updatedAt: new Date(),
        })
        .where(eq(organizations.id, organizationId))
        .returning();
      if (!organization) throw new Error('updateOrganization: the locked row is gone');
      const before = access.organization;
      await recordAudit(tx, {
        type: 'org.updated',
        userId: actor.userId,
        meta,
        details: {
          organizationId,
          fields: Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined),
          ...(input.name !== undefined && { from: before.name, to: organization.name }),
          ...(input.slug !== undefined && { slugFrom: before.slug, slugTo: organization.slug }),
        },
      });
      return membershipOf(tx, { organization, role: access.role });
    });
  } catch (error) {
    if (isSlugConflict(error)) throw slugTaken();
    throw error;
  }
}

/**
 * Owners only (and global admins), after re-authentication: the organization, its projects, members
 * and invitations go in one transaction, and every member's tokens for it are refused at once.
 */
export async function deleteOrganization(
  ctx: AppContext,
  organizationId: string,
  actor: OrgActor & { sessionId: string },
  password: string | undefined,
  meta: RequestMeta,
): Promise<void> {
  // Who may, first: a member who is not an owner learns nothing from a password prompt.
  requireOrgPermission(await orgAccess(ctx.db, organizationId, actor), 'manage_organization');
  const identity = await confirmIdentity(ctx, { userId: actor.userId, sessionId: actor.sessionId }, password, meta, {
    stage: 'delete_organization',
    action: 'delete this organization',
    failureType: 'login.failed',
  });
  await identity.succeeded();
  await inTransaction(ctx, async (tx) => {
    const access = await orgAccess(tx, organizationId, actor, { lock: true });
    requireOrgPermission(access, 'manage_organization');
    const members = await tx
      .select({ userId: organizationMembers.userId })
      .from(organizationMembers)
      .where(eq(organizationMembers.organizationId, organizationId));
    await revokeOrgRole(
      ctx,
      tx,
      organizationId,
      members.map((m) => m.userId),
      null,
    );
    // Explicit rather than only by cascade, so the count is recorded and the intent reads here.
    const removedProjects = await tx.delete(projects).where(eq(projects.organizationId, organizationId)).returning({ id: projects.id });
    await tx.delete(organizations).where(eq(organizations.id, organizationId));
    await recordAudit(tx, {
      type: 'org.deleted',
      userId: actor.userId,
      meta,
      details: { organizationId, name: access.organization.name, slug: access.organization.slug, projects: removedProjects.length, members: members.length },
    });
  });
}

/** The admin console: every organization, with its member count; `query` matches name and slug. */
export async function listAllOrganizations(db: Db, filter: { query?: string | undefined }, page: Page) {
  let where: SQL | undefined;
  if (filter.query) {
    const pattern = `%${escapeLike(filter.query)}%`;
    where = or(ilike(organizations.name, pattern), ilike(organizations.slug, pattern));
  }
  const memberTotal = sql<number>`(select count(*) from ${organizationMembers} where ${organizationMembers.organizationId} = ${organizations.id})`.mapWith(
    Number,
  );
  return readPage('organizations', page, {
    items: async ({ limit, offset }) =>
      (
        await db
          .select({ organization: organizations, memberCount: memberTotal })
          .from(organizations)
          .where(where)
          .orderBy(desc(organizations.createdAt), desc(organizations.id))
          .limit(limit)
          .offset(offset)
      ).map((r): Membership => ({ organization: toPublicOrganization(r.organization), role: null, memberCount: r.memberCount })),
    count: () => db.select({ n: count() }).from(organizations).where(where),
  });
}

/** The domain of a verified address, lower-cased; undefined when unverified. */
export const verifiedDomainOf = (user: { emailNormalized: string; emailVerifiedAt: Date | null }) =>
  user.emailVerifiedAt ? user.emailNormalized.slice(user.emailNormalized.lastIndexOf('@') + 1) : undefined;

/** Only someone whose own verified address is at a domain may open an organization to it: a weak proof, but no stranger's domain. */
async function requireOwnVerifiedDomain(db: Db, userId: string, domain: string): Promise<void> {
  const [user] = await db.select({ emailNormalized: users.emailNormalized, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  if (!user || verifiedDomainOf(user) !== domain) {
    throw new ApiError(403, 'FORBIDDEN', 'You can only choose the domain of your own verified email address.', [
      { field: 'autoJoinDomain', message: 'Verify an address at this domain first.' },
    ]);
  }
}

/** A person with a verified address at the organization's auto-join domain joins as a member; anyone else gets 404. */
export async function joinByDomain(ctx: AppContext, organizationId: string, actor: OrgActor, meta: RequestMeta): Promise<Membership> {
  return inTransaction(ctx, async (tx) => {
    const [organization] = await tx.select().from(organizations).where(eq(organizations.id, organizationId)).for('update');
    const [user] = await tx
      .select({ emailNormalized: users.emailNormalized, emailVerifiedAt: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, actor.userId));
    if (!organization || !user || !organization.autoJoinDomain || verifiedDomainOf(user) !== organization.autoJoinDomain) throw notAMember();
    const existing = await memberRole(tx, organizationId, actor.userId);
    if (!existing) {
      await tx.insert(organizationMembers).values({ organizationId, userId: actor.userId, role: 'member' });
      await revokeOrgRole(ctx, tx, organizationId, [actor.userId], 'member');
      await recordAudit(tx, { type: 'org.member_added', userId: actor.userId, meta, details: { organizationId, role: 'member', via: 'domain' } });
    }
    return membershipOf(tx, { organization, role: existing ?? 'member' });
  });
}
