import { and, desc, eq, sql } from 'drizzle-orm';
import type { Role } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../context.js';
import { oauthAccounts, oneTimeTokens, passkeys, users } from '../db/schema.js';
import { invitationMail } from '../mail/templates/invitation.js';
import { invitationSentMail } from '../mail/templates/adminGrants.js';
import { resetPasswordMail } from '../mail/templates/resetPassword.js';
import { recordAudit } from './audit.js';
import { ApiError, notFound, rateLimited } from './errors.js';
import { enqueueMail } from './mail.js';
import { issueOneTimeToken, retireOneTimeTokens } from './oneTimeTokens.js';
import { confirmRecentSignInOrPassword } from './reauthentication.js';
import { inTransaction } from './transaction.js';
import { findUserById, normalizeEmail } from './users.js';
import { webLink } from './webLinks.js';

/**
 * Accounts an administrator starts for someone else (not in the contract). An invitation is an
 * account without a password plus a password-reset link that lives for days: the reset page and
 * `POST /api/auth/password/reset` set the first password, prove the address, and need nothing new.
 */

export const INVITATION_DAYS = 7;

export interface AdminBy {
  actorId: string;
  meta?: RequestMeta;
}

export async function inviteUser(
  ctx: AppContext,
  input: { email: string; displayName: string; role: Role; password?: string | undefined },
  by: AdminBy & { sessionId: string; meta: RequestMeta },
): Promise<string> {
  // The invited account, with its role, belongs to whoever holds the mailbox: it outlives the
  // admin's access token (which may have been stolen), so a recent sign-in or the password, and a mail to the admin.
  const { user: admin, by: reauthenticatedBy } = await confirmRecentSignInOrPassword(
    ctx,
    { userId: by.actorId, sessionId: by.sessionId },
    input.password,
    by.meta,
    {
      stage: 'invite_user',
      action: 'invite someone',
      failureType: 'login.failed',
    },
  );
  const email = input.email.trim();
  const id = await inTransaction(ctx, async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email, emailNormalized: normalizeEmail(email), displayName: input.displayName, passwordHash: null, role: input.role })
      .onConflictDoNothing({ target: users.emailNormalized })
      .returning({ id: users.id });
    if (!user) return undefined;
    const token = await issueOneTimeToken(tx, user.id, 'password_reset', undefined, INVITATION_DAYS * 24 * 60 * 60_000);
    const link = webLink(ctx.config, 'resetPassword', { token });
    await enqueueMail(ctx, tx, email, invitationMail({ displayName: input.displayName, link, days: INVITATION_DAYS }), { link });
    await recordAudit(tx, { type: 'user.invited', userId: user.id, actorId: by.actorId, meta: by.meta, details: { role: input.role, reauthenticatedBy } });
    const notice = invitationSentMail({ displayName: admin.displayName, invitee: email, role: input.role, url: webLink(ctx.config, 'adminUsers') });
    await enqueueMail(ctx, tx, admin.email, notice);
    return user.id;
  });
  if (!id)
    throw new ApiError(409, 'EMAIL_TAKEN', 'An account with this email already exists.', [{ field: 'email', message: 'This email is already registered.' }]);
  return id;
}

/** The forgot-password mail, asked for by an admin on the holder's behalf. */
export async function sendPasswordResetFor(ctx: AppContext, userId: string, by: AdminBy): Promise<void> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw notFound('No such user.');
  await inTransaction(ctx, async (tx) => {
    const token = await issueOneTimeToken(tx, user.id, 'password_reset');
    const link = webLink(ctx.config, 'resetPassword', { token });
    await enqueueMail(ctx, tx, user.email, resetPasswordMail({ displayName: user.displayName, link }), { link });
    await recordAudit(tx, {
      type: 'password.reset_requested',
      userId: user.id,
      actorId: by.actorId,
      meta: by.meta,
      details: { knownEmail: true, by: 'admin' },
    });
  });
}

/** A resend within this long of the last link is refused: a double click, or an impatient admin, mails once. */
export const RESEND_INTERVAL_MS = 60_000;

/**
 * The invitation mailed again, for an account that still has no way to sign in: a new 7-day link,
 * and every earlier one retired (a forwarded or leaked old mail stops working).
 */
export async function resendInvitation(ctx: AppContext, userId: string, by: AdminBy): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    // The row lock serialises two resends, so the interval check below sees the other's link.
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw notFound('No such user.');
    const [identities, keys] = await Promise.all([
      tx.$count(oauthAccounts, eq(oauthAccounts.userId, userId)),
      tx.$count(passkeys, eq(passkeys.userId, userId)),
    ]);
    if (user.passwordHash || identities > 0 || keys > 0) {
      throw new ApiError(409, 'CONFLICT', 'This account has accepted its invitation: it can sign in. Send a password reset instead.');
    }
    const [last] = await tx
      .select({ ageMs: sql<number>`extract(epoch from now() - ${oneTimeTokens.createdAt}) * 1000` })
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, 'password_reset')))
      .orderBy(desc(oneTimeTokens.createdAt))
      .limit(1);
    const age = last ? Number(last.ageMs) : Infinity;
    if (age < RESEND_INTERVAL_MS) throw rateLimited((RESEND_INTERVAL_MS - age) / 1000);
    await retireOneTimeTokens(tx, userId, 'password_reset');
    const token = await issueOneTimeToken(tx, userId, 'password_reset', undefined, INVITATION_DAYS * 24 * 60 * 60_000);
    const link = webLink(ctx.config, 'resetPassword', { token });
    await enqueueMail(ctx, tx, user.email, invitationMail({ displayName: user.displayName, link, days: INVITATION_DAYS }), { link });
    await recordAudit(tx, { type: 'user.invitation_resent', userId, actorId: by.actorId, meta: by.meta, details: { role: user.role } });
  });
}
