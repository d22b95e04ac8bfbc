import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { mfaChallenges, sessions, users } from '../db/schema.js';
import { accountLockedMail, accountUnlockedMail } from '../mail/templates/accountLock.js';
import { recordAudit } from './audit.js';
import { ApiError, forbidden, notFound } from './errors.js';
import { enqueueMail } from './mail.js';
import { revokeSessionRows } from './sessions.js';
import { inTransaction, type Tx } from './transaction.js';
import { findUserById } from './users.js';
import { webLink } from './webLinks.js';

/**
 * An administrator's lock on an account (not in the contract): "stop them". A locked account
 * cannot open a session (sessions.ts `claimSignIn`, one conditional UPDATE on the user row, so a
 * sign-in racing the lock either lands before it, and is revoked by it, or is refused) nor
 * refresh one (its sessions are revoked in the lock's own transaction and published to every
 * instance after the commit, the path every revocation takes). Audited and mailed both ways.
 */

export interface LockBy {
  actorId: string;
  meta?: RequestMeta;
}

export async function lockAccount(ctx: AppContext, userId: string, reason: string, by: LockBy): Promise<{ sessionsRevoked: number }> {
  // One's own lock would sign the admin out with no way back in but another admin.
  if (by.actorId === userId) throw forbidden('You cannot lock your own account.');
  const revoked = await inTransaction(ctx, async (tx) => {
    const [locked] = await tx
      .update(users)
      .set({ lockedAt: sql`now()`, lockedReason: reason, updatedAt: sql`now()` })
      .where(and(eq(users.id, userId), isNull(users.lockedAt)))
      .returning({ email: users.email, displayName: users.displayName });
    if (!locked) throw (await exists(tx, userId)) ? new ApiError(409, 'CONFLICT', 'This account is already locked.') : notFound('No such user.');
    const live = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    const entries = await revokeSessionRows(
      ctx,
      tx,
      live.map((s) => s.id),
      'account_locked',
    );
    // A password sign-in waiting for its second factor does not get to finish.
    await tx.delete(mfaChallenges).where(eq(mfaChallenges.userId, userId));
    await recordAudit(tx, { type: 'user.locked', userId, actorId: by.actorId, meta: by.meta, details: { reason, sessionsRevoked: entries.length } });
    await enqueueMail(ctx, tx, locked.email, accountLockedMail({ displayName: locked.displayName, reason }));
    return entries;
  });
  return { sessionsRevoked: revoked.length };
}

export async function unlockAccount(ctx: AppContext, userId: string, by: LockBy): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [unlocked] = await tx
      .update(users)
      .set({ lockedAt: null, lockedReason: null, updatedAt: sql`now()` })
      .where(and(eq(users.id, userId), isNotNull(users.lockedAt)))
      .returning({ email: users.email, displayName: users.displayName });
    if (!unlocked) throw (await exists(tx, userId)) ? new ApiError(409, 'CONFLICT', 'This account is not locked.') : notFound('No such user.');
    await recordAudit(tx, { type: 'user.unlocked', userId, actorId: by.actorId, meta: by.meta });
    await enqueueMail(ctx, tx, unlocked.email, accountUnlockedMail({ displayName: unlocked.displayName, loginUrl: webLink(ctx.config, 'login') }));
  });
}

async function exists(tx: Tx, userId: string): Promise<boolean> {
  return (await findUserById(tx, userId)) !== undefined;
}
