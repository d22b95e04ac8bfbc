import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { users } from '../db/schema.js';
import { verifyEmailMail } from '../mail/templates/verifyEmail.js';
import { recordAudit } from './audit.js';
import { ApiError } from './errors.js';
import { enqueueMail } from './mail.js';
import { consumeOneTimeToken, issueOneTimeToken, retireOneTimeTokens } from './oneTimeTokens.js';
import { removeUnverifiedIdentities } from './oauth/unverifiedIdentities.js';
import { consumeAccountAction } from './rateLimits.js';
import { inTransaction, userChangedAfterCommit, type Tx } from './transaction.js';
import { findUserById, type PublicUser, toPublicUser } from './users.js';
import { webLink } from './webLinks.js';

/** Email verification: a single-use, 24-hour link mailed at sign-up and on request. */

export const invalidVerificationToken = () =>
  new ApiError(400, 'INVALID_TOKEN', 'This verification link is invalid, already used or expired. Ask for a new one.');

/** Inside the caller's transaction (sign-up, resend), which wakes the mail sender once it commits. */
export async function queueVerificationMail(
  ctx: AppContext,
  tx: Tx,
  user: { id: string; email: string; displayName: string },
  meta: RequestMeta,
): Promise<void> {
  const token = await issueOneTimeToken(tx, user.id, 'email_verification');
  const link = webLink(ctx.config, 'verifyEmail', { token });
  await enqueueMail(ctx, tx, user.email, verifyEmailMail({ displayName: user.displayName, link }), { link });
  await recordAudit(tx, { type: 'email.verification_sent', userId: user.id, meta });
}

/** Sends a fresh link unless the address is verified already (then it does nothing, quietly). */
export async function resendVerification(ctx: AppContext, userId: string, meta: RequestMeta): Promise<void> {
  const user = await findUserById(ctx.db, userId);
  if (!user || user.emailVerifiedAt) return;
  await inTransaction(ctx, (tx) => queueVerificationMail(ctx, tx, user, meta));
}

/**
 * For a sign-in refused because the address is unverified: a new link, unless this account had its
 * share of links this hour (the resend limit), so that a refusal cannot be turned into a mail cannon.
 */
export async function resendVerificationWithinLimit(ctx: AppContext, userId: string, meta: RequestMeta): Promise<void> {
  try {
    await consumeAccountAction(ctx, 'verify_resend', userId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 429) return;
    throw error;
  }
  await resendVerification(ctx, userId, meta);
}

export async function verifyEmail(ctx: AppContext, token: string, meta: RequestMeta): Promise<PublicUser> {
  const provedId = await inTransaction(ctx, async (tx) => {
    const id = await consumeOneTimeToken(tx, token, 'email_verification');
    if (!id) return undefined;
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(users.id, id), isNull(users.emailVerifiedAt)));
    userChangedAfterCommit(tx, id);
    // Older links for the same address are of no further use.
    await retireOneTimeTokens(tx, id, 'email_verification');
    await recordAudit(tx, { type: 'email.verified', userId: id, meta });
    // Proving the address also drops identities linked without a proof of it (pre-account hijack).
    await removeUnverifiedIdentities(ctx, tx, id, 'email_verified', meta);
    return id;
  });
  const user = provedId ? await findUserById(ctx.db, provedId) : undefined;
  if (!user) throw invalidVerificationToken();
  return toPublicUser(user);
}
