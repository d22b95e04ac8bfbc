import { and, arrayContains, eq, isNull } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../../context.js';
import { oauthAccounts, sessions, users } from '../../db/schema.js';
import type { RevocationMessage } from '../../realtime/bus.js';
import { unverifiedProvidersRemovedMail } from '../../mail/templates/providerLinks.js';
import { recordAudit } from '../audit.js';
import { enqueueMail } from '../mail.js';
import { revokeSessionRows } from '../sessions.js';
import type { Tx } from '../transaction.js';
import { providerName } from './providers.js';
import { webLink } from '../webLinks.js';

/**
 * Pre-account hijack: someone signs in through a provider that never checked the address (or one
 * whose check is not believed) with the victim's email, and an account is created with that
 * identity in it. When the address is later proved — a password reset, a verification link, a
 * change of address confirmed — the person who proved it is the one the account belongs to, and
 * any identity linked without its provider's proof of the address (`email_verified = false`) is
 * removed in the same transaction, each removal audited (`oauth.unlinked`, reason
 * `unverified_email`), and the holder told by mail. The hijacker may also hold a session opened
 * through that identity; sessions do not record which identity opened them, so every live session
 * signed in through a provider ('fed') ends with it (the holder signs in again). Call it inside the
 * proof's transaction (services/transaction.ts), which publishes the revocations and wakes the mail sender on commit.
 */

export type AddressProof = 'password_reset' | 'email_verified' | 'email_changed';

export async function removeUnverifiedIdentities(
  ctx: AppContext,
  tx: Tx,
  userId: string,
  proof: AddressProof,
  meta: RequestMeta,
): Promise<RevocationMessage[]> {
  const removed = await tx
    .delete(oauthAccounts)
    .where(and(eq(oauthAccounts.userId, userId), eq(oauthAccounts.emailVerified, false)))
    .returning({ provider: oauthAccounts.provider });
  if (removed.length === 0) return [];
  const providerSessions = await tx
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), arrayContains(sessions.amr, ['fed'])));
  const revocations = await revokeSessionRows(
    ctx,
    tx,
    providerSessions.map((row) => row.id),
    'unverified_identity_removed',
  );
  for (const { provider } of removed) {
    await recordAudit(tx, {
      type: 'oauth.unlinked',
      userId,
      meta,
      details: { provider, reason: 'unverified_email', proof, sessionsRevoked: revocations.length },
    });
  }
  // After the proof's own update: the address the notice goes to is the one just proved.
  const [holder] = await tx.select({ email: users.email, displayName: users.displayName }).from(users).where(eq(users.id, userId));
  if (holder) {
    const providerNames = [...new Set(removed.map((r) => providerName(ctx.config, r.provider)))];
    await enqueueMail(
      ctx,
      tx,
      holder.email,
      unverifiedProvidersRemovedMail({ displayName: holder.displayName, providerNames, securityUrl: webLink(ctx.config, 'securitySettings') }),
    );
  }
  return revocations;
}
