import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { mfaChallenges, recoveryCodes, sessions, totpCredentials, users } from '../db/schema.js';
import { mfaResetMail } from '../mail/templates/mfaReset.js';
import { recordAudit } from './audit.js';
import { ApiError, forbidden, notFound } from './errors.js';
import { enqueueMail } from './mail.js';
import { revokeSessionRows } from './sessions.js';
import { inTransaction, userChangedAfterCommit } from './transaction.js';
import { findUserById } from './users.js';
import { webLink } from './webLinks.js';

/**
 * An administrator's reset of someone's second factor (not in the contract): the recovery for a
 * holder who lost their authenticator and recovery codes, or whose account a thief enrolled with
 * their own. It deletes the TOTP credential (in force or half set up), the recovery codes and any
 * MFA sign-in in progress, clears the consecutive-failure count (secondFactorFailures.ts), and signs
 * the user out everywhere: whoever enrolled a factor they should not have also holds a session, and
 * none may outlive the factor it was signed in with. Audited with the admin as actor, mailed to the user.
 */

export interface MfaResetBy {
  /** The admin; null for the operator's CLI. */
  actorId: string | null;
  via: 'api' | 'cli';
  meta?: RequestMeta;
}

const nothingToReset = () => new ApiError(409, 'CONFLICT', 'Two-step verification is not on for this user, and no wrong codes are counted against it.');

export async function resetMfa(ctx: AppContext, userId: string, by: MfaResetBy): Promise<{ sessionsRevoked: number }> {
  // Not one's own through the admin API: that would turn MFA off with a bearer token alone, past the
  // re-authentication of POST /api/auth/mfa/totp/disable.
  if (by.actorId === userId) throw forbidden('Turn off your own two-step verification from your security settings.');
  const user = await findUserById(ctx.db, userId);
  if (!user) throw notFound('No such user.');
  if (!user.mfaEnabled && user.secondFactorFailures === 0) throw nothingToReset();

  const revoked = await inTransaction(ctx, async (tx) => {
    await tx.delete(totpCredentials).where(eq(totpCredentials.userId, userId));
    userChangedAfterCommit(tx, userId);
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(mfaChallenges).where(eq(mfaChallenges.userId, userId));
    await tx.update(users).set({ secondFactorFailures: 0 }).where(eq(users.id, userId));
    const live = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    const entries = await revokeSessionRows(
      ctx,
      tx,
      live.map((s) => s.id),
      'mfa_reset',
    );
    await recordAudit(tx, {
      type: 'mfa.reset',
      userId,
      actorId: by.actorId,
      meta: by.meta,
      details: { via: by.via, wasEnabled: user.mfaEnabled, failuresCleared: user.secondFactorFailures, sessionsRevoked: entries.length },
    });
    await enqueueMail(ctx, tx, user.email, mfaResetMail({ displayName: user.displayName, securityUrl: webLink(ctx.config, 'securitySettings') }));
    return entries;
  });
  return { sessionsRevoked: revoked.length };
}
