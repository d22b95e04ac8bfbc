import { and, count, eq } from 'drizzle-orm';
import { hasOrgPermission, orgRoleAtMost, type Membership, type Organization, type OrgPermission } from '@portcullis/contract';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { organizationMembers, organizations, sessions, type OrgRole, type Role } from '../../db/schema.js';
import type { RevocationMessage } from '../../realtime/bus.js';
import { forbidden, notFound } from '../errors.js';
import { hasPermission } from '../permissions.js';
import { recordRevocations } from '../revocations.js';
import type { Tx } from '../transaction.js';

/**
 * Who may do what in an organization (issue 16). Read from the database on every request, so a
 * change of role or a removal holds at once on every instance; the token's `org_role` is for
 * the services that trust it (the SDK's requireOrgPermission), and is refused at once on a change
 * through the revocation list (below).
 */

export type OrgRow = typeof organizations.$inferSelect;

/** The caller: their id and global role (from the access token, which is refused at once when it changes). */
export interface OrgActor {
  userId: string;
  globalRole: Role;
}

export interface OrgAccess {
  organization: OrgRow;
  /** The caller's membership role; null for a global admin who is not a member. */
  role: OrgRole | null;
  /** What the caller may do here: a global admin (`manage_users`) counts as an owner of every organization. */
  effective: OrgRole;
}

export const isGlobalAdmin = (actor: OrgActor) => hasPermission(actor.globalRole, 'manage_users');

export const notAMember = () => notFound('No such organization.');

export function toPublicOrganization(o: OrgRow): Organization {
  return {
    id: o.id,
    name: o.name,
    slug: o.slug,
    logoUrl: o.logoUrl,
    autoJoinDomain: o.autoJoinDomain,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export async function memberCount(db: Db, organizationId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(organizationMembers).where(eq(organizationMembers.organizationId, organizationId));
  return row?.n ?? 0;
}

export async function membershipOf(db: Db, access: Pick<OrgAccess, 'organization' | 'role'>): Promise<Membership> {
  return { organization: toPublicOrganization(access.organization), role: access.role, memberCount: await memberCount(db, access.organization.id) };
}

export async function memberRole(db: Db, organizationId: string, userId: string): Promise<OrgRole | undefined> {
  const [row] = await db
    .select({ role: organizationMembers.role })
    .from(organizationMembers)
    .where(and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.userId, userId)));
  return row?.role;
}

/**
 * The caller's access to an organization; `404` for someone who is neither a member nor a global
 * admin. With `lock` (inside a transaction that changes members) the organization's row is locked
 * first, so two changes to its members are serialised and the last-owner rule cannot be raced.
 */
export async function orgAccess(db: Db, organizationId: string, actor: OrgActor, options: { lock?: boolean } = {}): Promise<OrgAccess> {
  const query = db.select().from(organizations).where(eq(organizations.id, organizationId));
  const [organization] = options.lock ? await query.for('update') : await query;
  if (!organization) throw notAMember();
  const role = (await memberRole(db, organizationId, actor.userId)) ?? null;
  if (role) return { organization, role, effective: isGlobalAdmin(actor) ? 'owner' : role };
  if (isGlobalAdmin(actor)) return { organization, role: null, effective: 'owner' };
  throw notAMember();
}

/** `403` unless the caller's role here has `permission`. */
export function requireOrgPermission(access: OrgAccess, permission: OrgPermission): void {
  if (!hasOrgPermission(access.effective, permission)) throw forbidden(`Your role in this organization does not allow this (${permission}).`);
}

/** `403` for a role above the caller's own: nobody grants or manages more than they have. */
export function requireRoleAtMost(access: OrgAccess, role: OrgRole, message: string): void {
  if (!orgRoleAtMost(role, access.effective)) throw forbidden(message);
}

export async function ownerCount(db: Db, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(organizationMembers)
    .where(and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.role, 'owner')));
  return row?.n ?? 0;
}

/** Revocations live as long as the access tokens they refuse, plus clock tolerance (as services/roles.ts). */
const revocationExpiry = (ctx: AppContext) => Date.now() + ctx.config.JWT_ACCESS_TTL + 5_000;

/**
 * A member's role in an organization changed (`role`) or they left it (`null`): every access token
 * of theirs carrying that organization with another role is refused at once, on every instance,
 * through the same revocation path as a change of global role. A removed member's sessions also
 * stop carrying the organization, so their next refresh gives a token without it.
 */
export async function revokeOrgRole(ctx: AppContext, tx: Tx, organizationId: string, userIds: string[], role: OrgRole | null): Promise<void> {
  if (userIds.length === 0) return;
  const entries: RevocationMessage[] = userIds.map((userId) => ({
    kind: 'org_role',
    subject: userId,
    role: `${organizationId}:${role ?? ''}`,
    expiresAt: revocationExpiry(ctx),
  }));
  await recordRevocations(tx, entries);
  if (role === null) {
    for (const userId of userIds) {
      await tx
        .update(sessions)
        .set({ activeOrganizationId: null })
        .where(and(eq(sessions.userId, userId), eq(sessions.activeOrganizationId, organizationId)));
    }
  }
}
