import { and, count, desc, eq, gt, gte, isNull } from 'drizzle-orm';
import { ORG_LIMITS, type InvitationPreview, type Membership, type OrgInvitation } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../../context.js';
import type { Db } from '../../db/client.js';
import { organizationInvitations, organizationMembers, organizations, users, type OrgRole } from '../../db/schema.js';
import { orgInvitationMail, orgInvitationSentMail } from '../../mail/templates/orgInvitation.js';
import { recordAudit } from '../audit.js';
import { ApiError, forbidden, notFound, rateLimited } from '../errors.js';
import { enqueueMail } from '../mail.js';
import { confirmRecentSignInOrPassword } from '../reauthentication.js';
import { randomToken, sha256 } from '../secrets.js';
import { inTransaction, type Tx } from '../transaction.js';
import { normalizeEmail } from '../users.js';
import { webLink } from '../webLinks.js';
import { membershipOf, memberRole, orgAccess, requireOrgPermission, requireRoleAtMost, revokeOrgRole, type OrgAccess, type OrgActor } from './access.js';

/**
 * Invitations by email (issue 16). Only the SHA-256 of a link's token is stored; the token exists
 * in the mail alone. A link is used once (a conditional UPDATE), within 7 days, by the account of
 * the invited address only. Limits: pending invitations per organization, invitations per person per day.
 */

type InvitationRow = typeof organizationInvitations.$inferSelect;

const TTL_MS = ORG_LIMITS.invitationTtlDays * 24 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/** A link token: base64url of 32 random bytes. Anything else is refused before touching the database. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,128}$/;

const invalidInvitation = () =>
  new ApiError(400, 'INVALID_TOKEN', 'This invitation link is not valid: it was used, revoked or has expired. Ask for a new one.');
const noInvitation = () => notFound('No such invitation.');

export function toPublicInvitation(i: InvitationRow): OrgInvitation {
  return {
    id: i.id,
    organizationId: i.organizationId,
    email: i.email,
    role: i.role,
    invitedBy: i.invitedBy,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
  };
}

const pending = (now = new Date()) =>
  and(isNull(organizationInvitations.acceptedAt), isNull(organizationInvitations.revokedAt), gt(organizationInvitations.expiresAt, now));

export async function listInvitations(db: Db, organizationId: string, actor: OrgActor): Promise<OrgInvitation[]> {
  requireOrgPermission(await orgAccess(db, organizationId, actor), 'invite');
  const rows = await db
    .select()
    .from(organizationInvitations)
    .where(and(eq(organizationInvitations.organizationId, organizationId), pending()))
    .orderBy(desc(organizationInvitations.createdAt), desc(organizationInvitations.id));
  return rows.map(toPublicInvitation);
}

/** The per-organization and per-inviter limits, counted in the transaction that adds one (the organization row is locked). */
async function checkLimits(tx: Db, organizationId: string, inviterId: string): Promise<void> {
  const [perOrg] = await tx
    .select({ n: count() })
    .from(organizationInvitations)
    .where(and(eq(organizationInvitations.organizationId, organizationId), pending()));
  if ((perOrg?.n ?? 0) >= ORG_LIMITS.pendingInvitationsPerOrg) throw rateLimited(60 * 60);
  const [perInviter] = await tx
    .select({ n: count() })
    .from(organizationInvitations)
    .where(and(eq(organizationInvitations.invitedBy, inviterId), gte(organizationInvitations.createdAt, new Date(Date.now() - DAY_MS))));
  if ((perInviter?.n ?? 0) >= ORG_LIMITS.invitationsPerInviterPerDay) throw rateLimited(60 * 60);
}

/** Writes a new invitation and queues its mail; a pending one for the same address in the organization is replaced. */
async function issue(ctx: AppContext, tx: Tx, access: OrgAccess, inviterId: string, email: string, role: OrgRole): Promise<InvitationRow> {
  const emailNormalized = normalizeEmail(email);
  await checkLimits(tx, access.organization.id, inviterId);
  await tx
    .update(organizationInvitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(organizationInvitations.organizationId, access.organization.id), eq(organizationInvitations.emailNormalized, emailNormalized), pending()));
  const token = randomToken();
  const [row] = await tx
    .insert(organizationInvitations)
    .values({
      organizationId: access.organization.id,
      email,
      emailNormalized,
      role,
      tokenHash: sha256(token),
      invitedBy: inviterId,
      expiresAt: new Date(Date.now() + TTL_MS),
    })
    .returning();
  if (!row) throw new Error('issueInvitation: no row');
  const [inviter] = await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, inviterId));
  const link = webLink(ctx.config, 'acceptInvitation', { token });
  const mail = orgInvitationMail({
    organizationName: access.organization.name,
    inviterName: inviter?.displayName ?? 'Someone',
    role,
    link,
    days: ORG_LIMITS.invitationTtlDays,
  });
  await enqueueMail(ctx, tx, email, mail, { link });
  return row;
}

export async function createInvitation(
  ctx: AppContext,
  organizationId: string,
  actor: OrgActor & { sessionId: string },
  input: { email: string; role: OrgRole; password?: string | undefined },
  meta: RequestMeta,
): Promise<OrgInvitation> {
  // Membership, with its role, for whoever holds the invited mailbox outlives the inviter's access
  // token (which may have been stolen): as for the admin's invitations, a recent sign-in or the
  // password, and a mail to the inviter. Who may invite is checked first, so an outsider learns nothing.
  requireOrgPermission(await orgAccess(ctx.db, organizationId, actor), 'invite');
  const { user: inviter, by: reauthenticatedBy } = await confirmRecentSignInOrPassword(
    ctx,
    { userId: actor.userId, sessionId: actor.sessionId },
    input.password,
    meta,
    { stage: 'org_invitation', action: 'invite someone', failureType: 'login.failed' },
  );
  return inTransaction(ctx, async (tx) => {
    const access = await orgAccess(tx, organizationId, actor, { lock: true });
    requireOrgPermission(access, 'invite');
    requireRoleAtMost(access, input.role, 'You cannot invite someone with a role above your own.');
    const [member] = await tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(organizationMembers, and(eq(organizationMembers.userId, users.id), eq(organizationMembers.organizationId, organizationId)))
      .where(eq(users.emailNormalized, normalizeEmail(input.email)));
    if (member)
      throw new ApiError(409, 'CONFLICT', 'This person is already a member.', [{ field: 'email', message: 'Already a member of this organization.' }]);
    const row = await issue(ctx, tx, access, actor.userId, input.email, input.role);
    await recordAudit(tx, {
      type: 'org.invitation_created',
      userId: actor.userId,
      meta,
      details: { organizationId, invitationId: row.id, email: row.email, role: row.role, reauthenticatedBy },
    });
    const notice = orgInvitationSentMail({
      displayName: inviter.displayName,
      invitee: row.email,
      organization: access.organization.name,
      role: row.role,
      url: webLink(ctx.config, 'organizations'),
    });
    await enqueueMail(ctx, tx, inviter.email, notice);
    return toPublicInvitation(row);
  });
}

async function findPending(tx: Db, organizationId: string, invitationId: string): Promise<InvitationRow> {
  const [row] = await tx
    .select()
    .from(organizationInvitations)
    .where(and(eq(organizationInvitations.id, invitationId), eq(organizationInvitations.organizationId, organizationId), pending()));
  if (!row) throw noInvitation();
  return row;
}

export async function revokeInvitation(ctx: AppContext, organizationId: string, actor: OrgActor, invitationId: string, meta: RequestMeta): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const access = await orgAccess(tx, organizationId, actor, { lock: true });
    requireOrgPermission(access, 'invite');
    const row = await findPending(tx, organizationId, invitationId);
    await tx.update(organizationInvitations).set({ revokedAt: new Date() }).where(eq(organizationInvitations.id, row.id));
    await recordAudit(tx, { type: 'org.invitation_revoked', userId: actor.userId, meta, details: { organizationId, invitationId: row.id, email: row.email } });
  });
}

/** A new link (the old one stops working) and a new 7 days; counts toward the inviter's daily limit. */
export async function resendInvitation(
  ctx: AppContext,
  organizationId: string,
  actor: OrgActor,
  invitationId: string,
  meta: RequestMeta,
): Promise<OrgInvitation> {
  return inTransaction(ctx, async (tx) => {
    const access = await orgAccess(tx, organizationId, actor, { lock: true });
    requireOrgPermission(access, 'invite');
    const old = await findPending(tx, organizationId, invitationId);
    requireRoleAtMost(access, old.role, 'You cannot invite someone with a role above your own.');
    const row = await issue(ctx, tx, access, actor.userId, old.email, old.role);
    await recordAudit(tx, {
      type: 'org.invitation_resent',
      userId: actor.userId,
      meta,
      details: { organizationId, invitationId: row.id, replaces: old.id, email: row.email, role: row.role },
    });
    return toPublicInvitation(row);
  });
}

async function findByToken(db: Db, token: string): Promise<InvitationRow | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const [row] = await db
    .select()
    .from(organizationInvitations)
    .where(and(eq(organizationInvitations.tokenHash, sha256(token)), pending()));
  return row;
}

export async function previewInvitation(db: Db, token: string): Promise<InvitationPreview> {
  const row = await findByToken(db, token);
  if (!row) throw invalidInvitation();
  const [organization] = await db.select().from(organizations).where(eq(organizations.id, row.organizationId));
  if (!organization) throw invalidInvitation();
  return {
    organization: { id: organization.id, name: organization.name, slug: organization.slug, logoUrl: organization.logoUrl },
    email: row.email,
    role: row.role,
    expiresAt: row.expiresAt.toISOString(),
  };
}

/**
 * Signed in as the invited address: joins with the invitation's role. Another account is refused
 * (`403`) and the invitation stays usable for the right one. Someone already a member keeps their role.
 */
export async function acceptInvitation(ctx: AppContext, actor: OrgActor, token: string, meta: RequestMeta): Promise<Membership> {
  return inTransaction(ctx, async (tx) => {
    const found = await findByToken(tx, token);
    if (!found) throw invalidInvitation();
    const [user] = await tx.select({ emailNormalized: users.emailNormalized }).from(users).where(eq(users.id, actor.userId));
    if (!user || user.emailNormalized !== found.emailNormalized) {
      throw forbidden('This invitation is for another email address. Sign in with the address it was sent to.');
    }
    // Single use: of two requests at once, only one finds it still unaccepted.
    const [claimed] = await tx
      .update(organizationInvitations)
      .set({ acceptedAt: new Date(), acceptedBy: actor.userId })
      .where(and(eq(organizationInvitations.id, found.id), pending()))
      .returning();
    if (!claimed) throw invalidInvitation();
    const existing = await memberRole(tx, claimed.organizationId, actor.userId);
    if (!existing) {
      await tx.insert(organizationMembers).values({ organizationId: claimed.organizationId, userId: actor.userId, role: claimed.role });
      // Someone removed a moment ago and invited back: the removal's revocation must not refuse their new tokens.
      await revokeOrgRole(ctx, tx, claimed.organizationId, [actor.userId], claimed.role);
    }
    await recordAudit(tx, {
      type: 'org.invitation_accepted',
      userId: actor.userId,
      actorId: actor.userId,
      meta,
      details: { organizationId: claimed.organizationId, invitationId: claimed.id, role: existing ?? claimed.role, invitedBy: claimed.invitedBy },
    });
    const [organization] = await tx.select().from(organizations).where(eq(organizations.id, claimed.organizationId));
    if (!organization) throw invalidInvitation();
    return membershipOf(tx, { organization, role: existing ?? claimed.role });
  });
}
