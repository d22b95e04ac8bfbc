import type { Role } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../context.js';
import { users } from '../db/schema.js';
import { invitationMail } from '../mail/templates/invitation.js';
import { resetPasswordMail } from '../mail/templates/resetPassword.js';
import { recordAudit } from './audit.js';
import { ApiError, notFound } from './errors.js';
import { enqueueMail } from './mail.js';
import { issueOneTimeToken } from './oneTimeTokens.js';
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

export async function inviteUser(ctx: AppContext, input: { email: string; displayName: string; role: Role }, by: AdminBy): Promise<string> {
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
    await recordAudit(tx, { type: 'user.invited', userId: user.id, actorId: by.actorId, meta: by.meta, details: { role: input.role } });
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
