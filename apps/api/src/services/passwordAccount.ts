import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { onlyRow } from '../db/rows.js';
import type { Db } from '../db/client.js';
import { mfaChallenges, oneTimeTokens, sessions, users } from '../db/schema.js';
import type { RevocationMessage } from '../realtime/bus.js';
import { passwordChangedMail } from '../mail/templates/passwordChanged.js';
import { resetPasswordMail } from '../mail/templates/resetPassword.js';
import { recordAudit } from './audit.js';
import { ApiError, invalidBearer, invalidCredentials, validationFailed } from './errors.js';
import { enqueueMail } from './mail.js';
import { checkPasswordAgainstEmail } from './passwords.js';
import { consumeOneTimeToken, issueOneTimeToken, retireOneTimeTokens } from './oneTimeTokens.js';
import { removeUnverifiedIdentities } from './oauth/unverifiedIdentities.js';
import { sha256 } from './secrets.js';
import { revokeSessionRows } from './sessions.js';
import { inTransaction, userChangedAfterCommit, type Tx } from './transaction.js';
import { findUserByEmail, findUserById } from './users.js';
import { webLink } from './webLinks.js';

/**
 * Forgotten password (mailed single-use link, 1 h), reset, and change. A reset signs the account
 * out everywhere; a change signs out every session but the one that made it. Both retire
 * outstanding reset links and pending MFA logins, and mail a notice to the account's address.
 */

export const invalidResetToken = () => new ApiError(400, 'INVALID_TOKEN', 'This reset link is invalid, already used or expired. Ask for a new one.');

/**
 * Never reveals whether the address has an account: the route answers 202 before this runs, so
 * the response time does not depend on it either.
 */
export async function requestPasswordReset(ctx: AppContext, email: string, meta: RequestMeta): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) {
    await recordAudit(ctx.db, { type: 'password.reset_requested', userId: null, actorId: null, meta, details: { knownEmail: false } });
    return;
  }
  await inTransaction(ctx, async (tx) => {
    const token = await issueOneTimeToken(tx, user.id, 'password_reset');
    const link = webLink(ctx.config, 'resetPassword', { token });
    await enqueueMail(ctx, tx, user.email, resetPasswordMail({ displayName: user.displayName, link }), { link });
    await recordAudit(tx, { type: 'password.reset_requested', userId: user.id, meta, details: { knownEmail: true } });
  });
}

export async function resetPassword(ctx: AppContext, input: { token: string; newPassword: string }, meta: RequestMeta): Promise<void> {
  // A cheap look first, so a bad token costs no password hashing (an unauthenticated endpoint).
  if (!(await isLiveResetToken(ctx.db, input.token))) throw invalidResetToken();
  const passwordHash = await ctx.passwords.hash(input.newPassword);
  const reset = await inTransaction(ctx, async (tx) => {
    const userId = await consumeOneTimeToken(tx, input.token, 'password_reset');
    if (!userId) return undefined;
    // Throwing here rolls the consumption back: the link still works with a better password.
    const owner = onlyRow(await tx.select({ email: users.email }).from(users).where(eq(users.id, userId)), 'resetPassword');
    const weak = checkPasswordAgainstEmail(input.newPassword, owner.email, 'newPassword');
    if (weak.length) throw validationFailed(weak);
    // The link came to this address, so following it also proves the address.
    await tx
      .update(users)
      // A reset is the holder's recovery: it also lifts the lock on wrong second-factor codes (secondFactorFailures.ts).
      .set({ passwordHash, updatedAt: sql`now()`, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`, secondFactorFailures: 0 })
      .where(eq(users.id, userId));
    userChangedAfterCommit(tx, userId);
    const entries = await afterPasswordChange(ctx, tx, userId, { how: 'reset', keepSessionId: undefined });
    await recordAudit(tx, { type: 'password.reset', userId, meta, details: { sessionsRevoked: entries.length } });
    // Proving the address also drops identities linked without a proof of it (pre-account hijack);
    // the reset has revoked every session already.
    await removeUnverifiedIdentities(ctx, tx, userId, 'password_reset', meta);
    return true;
  });
  if (!reset) throw invalidResetToken();
}

export async function changePassword(
  ctx: AppContext,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const user = await findUserById(ctx.db, input.userId);
  if (!user) throw invalidBearer('This account no longer exists.');
  if (!user.passwordHash) {
    await ctx.passwords.burn(input.currentPassword);
    throw invalidCredentials();
  }
  // A stolen access token must not become a way to guess the password: same counters as login.
  await ctx.rateLimits.reserveLoginAttempt(user.email, meta.ip);
  if (!(await ctx.passwords.verify(user.passwordHash, input.currentPassword))) {
    await recordAudit(ctx.db, { type: 'password.change_failed', userId: user.id, meta, details: { reason: 'wrong_password' } });
    throw new ApiError(401, 'INVALID_CREDENTIALS', 'The current password is incorrect.', [
      { field: 'currentPassword', message: 'The current password is incorrect.' },
    ]);
  }
  await ctx.rateLimits.loginSucceeded(user.email, meta.ip);
  const weak = checkPasswordAgainstEmail(input.newPassword, user.email, 'newPassword');
  if (weak.length) throw validationFailed(weak);
  const passwordHash = await ctx.passwords.hash(input.newPassword);
  await inTransaction(ctx, async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, user.id));
    const entries = await afterPasswordChange(ctx, tx, user.id, { how: 'changed', keepSessionId: input.sessionId });
    await recordAudit(tx, { type: 'password.changed', userId: user.id, meta, details: { sessionsRevoked: entries.length } });
  });
}

/** What every password change implies, inside its transaction. Returns the revocations (published on commit). */
async function afterPasswordChange(
  ctx: AppContext,
  tx: Tx,
  userId: string,
  options: { how: 'changed' | 'reset'; keepSessionId: string | undefined },
): Promise<RevocationMessage[]> {
  const live = await tx
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  const ids = live.map((s) => s.id).filter((id) => id !== options.keepSessionId);
  const entries = await revokeSessionRows(ctx, tx, ids, options.how === 'reset' ? 'password_reset' : 'password_changed');
  await retireOneTimeTokens(tx, userId, 'password_reset');
  // Someone halfway through an MFA login with the old password does not get to finish it.
  await tx.delete(mfaChallenges).where(eq(mfaChallenges.userId, userId));
  const user = onlyRow(await tx.select({ email: users.email, displayName: users.displayName }).from(users).where(eq(users.id, userId)), 'afterPasswordChange');
  await enqueueMail(
    ctx,
    tx,
    user.email,
    passwordChangedMail({ displayName: user.displayName, how: options.how, securityUrl: webLink(ctx.config, 'securitySettings') }),
  );
  return entries;
}

async function isLiveResetToken(db: Db, token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{20,128}$/.test(token)) return false;
  const [row] = await db
    .select({ id: oneTimeTokens.id })
    .from(oneTimeTokens)
    .where(
      and(
        eq(oneTimeTokens.tokenHash, sha256(token)),
        eq(oneTimeTokens.purpose, 'password_reset'),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, sql`now()`),
      ),
    );
  return row !== undefined;
}
