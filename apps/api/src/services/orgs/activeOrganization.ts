import { and, eq, isNull } from 'drizzle-orm';
import type { ActiveOrganization } from '@portcullis/contract';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { organizationMembers, sessions } from '../../db/schema.js';
import { issueAccessToken, type AccessClaims, type TokenOrganization } from '../accessTokens.js';
import { invalidBearer } from '../errors.js';
import { orgAccess, toPublicOrganization } from './access.js';

/**
 * The active organization travels with the session (issue 16): stored on the session row, so every
 * refresh of it issues tokens that carry `org_id` and `org_role`, read afresh from the membership.
 */

/** The session's active organization and the member's role in it, or undefined (none chosen, or no longer a member). */
export async function activeOrganizationOf(db: Db, sessionId: string, userId: string): Promise<TokenOrganization | undefined> {
  const [row] = await db
    .select({ id: organizationMembers.organizationId, role: organizationMembers.role })
    .from(sessions)
    .innerJoin(organizationMembers, and(eq(organizationMembers.organizationId, sessions.activeOrganizationId), eq(organizationMembers.userId, userId)))
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
  return row;
}

/** Chooses (or clears, with null) the session's active organization; answers with a token that carries it. */
export async function switchOrganization(ctx: AppContext, auth: AccessClaims, organizationId: string | null): Promise<ActiveOrganization> {
  let organization: ActiveOrganization['organization'] = null;
  let org: TokenOrganization | undefined;
  if (organizationId !== null) {
    // Members only: a global admin reaches every organization's routes, but chooses only their own.
    const access = await orgAccess(ctx.db, organizationId, { userId: auth.sub, globalRole: 'user' });
    if (!access.role) throw new Error('switchOrganization: a member without a role');
    organization = toPublicOrganization(access.organization);
    org = { id: organizationId, role: access.role };
  }
  const [session] = await ctx.db
    .update(sessions)
    .set({ activeOrganizationId: organizationId })
    .where(and(eq(sessions.id, auth.sid), eq(sessions.userId, auth.sub), isNull(sessions.revokedAt)))
    .returning({ amr: sessions.amr });
  if (!session) throw invalidBearer('This session has ended. Sign in again.');
  const { accessToken, expiresIn } = await issueAccessToken(ctx.tokens, { userId: auth.sub, sessionId: auth.sid, role: auth.role, amr: session.amr, org });
  return { accessToken, tokenType: 'Bearer', expiresIn, organization, role: org?.role ?? null };
}
