import { grantsMore } from './permissions.js';
import type { AppContext, RequestMeta } from '../context.js';
import type { Role } from '../db/schema.js';
import { roleGrantedMail } from '../mail/templates/adminGrants.js';
import type { AccessClaims } from './accessTokens.js';
import { ApiError, forbidden, notFound } from './errors.js';
import { enqueueMail } from './mail.js';
import { confirmRecentSignInOrPassword, type ReauthenticatedBy } from './reauthentication.js';
import { changeRole } from './roles.js';
import { findUserById, type PublicUser } from './users.js';
import { webLink } from './webLinks.js';

/**
 * An admin's role change through the API. Giving someone more rights (user → moderator → admin)
 * outlives the admin's access token, which may have been stolen: a thief could make their own
 * account an admin for good. So, as for a service account or an invitation, it needs a person
 * (not an API key or a service token), a sign-in of the last 10 minutes or the password, and a
 * mail to the admin. Taking rights away needs none of that: it only ever shrinks what exists.
 */

export async function changeRoleAsAdmin(
  ctx: AppContext,
  userId: string,
  role: Role,
  password: string | undefined,
  caller: { auth: AccessClaims; meta: RequestMeta },
): Promise<PublicUser> {
  const { auth, meta } = caller;
  const before = await findUserById(ctx.db, userId);
  if (!before) throw notFound('No such user.');
  const proof = grantsMore(before.role, role) ? await confirmPromoter(ctx, auth, password, meta) : undefined;
  return changeRole(
    ctx,
    userId,
    role,
    { actorId: auth.sub, meta, ...(proof && { reauthenticatedBy: proof.by }) },
    {
      async before(tx, target) {
        if (!grantsMore(target.role, role)) return;
        // The role changed between the read above and the lock: this is a promotion after all.
        if (!proof) throw new ApiError(409, 'CONFLICT', 'The user’s role changed meanwhile. Reload and try again.');
        const mail = roleGrantedMail({
          displayName: proof.admin.displayName,
          person: target.email,
          role,
          url: webLink(ctx.config, 'adminUsers'),
        });
        await enqueueMail(ctx, tx, proof.admin.email, mail);
      },
    },
  );
}

async function confirmPromoter(
  ctx: AppContext,
  auth: AccessClaims,
  password: string | undefined,
  meta: RequestMeta,
): Promise<{ admin: { email: string; displayName: string }; by: ReauthenticatedBy }> {
  if (auth.apiKey || auth.client_id !== undefined) throw forbidden('API keys and service tokens cannot give anyone more rights: sign in.');
  const { user, by } = await confirmRecentSignInOrPassword(ctx, { userId: auth.sub, sessionId: auth.sid }, password, meta, {
    stage: 'promote_user',
    action: 'give someone more rights',
    failureType: 'login.failed',
  });
  return { admin: user, by };
}
