import { eq, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { users } from '../db/schema.js';
import { accountDeletedMail } from '../mail/templates/accountDeleted.js';
import { recordAudit } from './audit.js';
import { invalidBearer, validationFailed, type FieldIssue } from './errors.js';
import { enqueueMail } from './mail.js';
import { invalidMfaCode } from './mfa.js';
import { confirmIdentity } from './reauthentication.js';
import { useRecoveryCode } from './recoveryCodes.js';
import { deleteUser } from './roles.js';
import { useTotpCode } from './totpCodes.js';
import { inTransaction, userChangedAfterCommit } from './transaction.js';
import { findUserById, toPublicUser, type PublicUser } from './users.js';

/**
 * Self-service (not in the contract): a new display name, and deleting one's own account.
 * Deleting asks for more than the access token, which may have been stolen: the password, or for
 * an account without one a sign-in of the last few minutes; and a second factor when MFA is on.
 */

const STAGE = 'delete_account';

export async function updateDisplayName(ctx: AppContext, userId: string, displayName: string, meta: RequestMeta): Promise<PublicUser> {
  const user = await inTransaction(ctx, async (tx) => {
    const [changed] = await tx
      .update(users)
      .set({ displayName, updatedAt: sql`now()` })
      .where(eq(users.id, userId))
      .returning({ id: users.id });
    if (!changed) return undefined;
    userChangedAfterCommit(tx, userId);
    // Which fields changed, never their values: the audit log is not a copy of people's data.
    await recordAudit(tx, { type: 'user.updated', userId, meta, details: { fields: ['displayName'] } });
    return findUserById(tx, userId);
  });
  if (!user) throw invalidBearer('This account no longer exists.');
  return toPublicUser(user);
}

export interface DeletionProof {
  password?: string;
  code?: string;
  recoveryCode?: string;
}

/** Thrown inside the deletion's transaction, so that a wrong code rolls everything back. */
class WrongSecondFactor extends Error {}

export async function deleteOwnAccount(ctx: AppContext, auth: { userId: string; sessionId: string }, proof: DeletionProof, meta: RequestMeta): Promise<void> {
  const user = await findUserById(ctx.db, auth.userId);
  if (!user) throw invalidBearer('This account no longer exists.');
  const missing: FieldIssue[] = [];
  if (user.passwordHash && proof.password === undefined) missing.push({ field: 'password', message: 'Enter your password to delete your account.' });
  if (user.mfaEnabled && proof.code === undefined && proof.recoveryCode === undefined) {
    missing.push({ field: 'code', message: 'Enter a code from your authenticator app, or a recovery code.' });
  }
  if (missing.length) throw validationFailed(missing);

  // The first proof. The attempt it takes from the login limits is given back only once the
  // whole proof was right: wrong codes count against the limits as wrong passwords do.
  const { succeeded: giveBack } = await confirmIdentity(ctx, auth, proof.password, meta, {
    stage: STAGE,
    action: 'delete your account',
    failureType: 'login.failed',
  });

  try {
    await deleteUser(
      ctx,
      user.id,
      { actorId: user.id, self: true, meta },
      {
        // In the deletion's transaction: the code is spent only if the account goes (not on LAST_ADMIN).
        verify: user.mfaEnabled
          ? async (tx) => {
              const passed =
                proof.code !== undefined ? await useTotpCode(ctx, tx, user.id, proof.code) : await useRecoveryCode(tx, user.id, proof.recoveryCode ?? '');
              if (!passed) throw new WrongSecondFactor();
            }
          : undefined,
        // mail_messages has no foreign key to users: the notice outlives the account.
        after: async (tx, deleted) => {
          await enqueueMail(ctx, tx, deleted.email, accountDeletedMail({ displayName: deleted.displayName, email: deleted.email }));
        },
      },
    );
  } catch (error) {
    if (error instanceof WrongSecondFactor) {
      await recordAudit(ctx.db, { type: 'mfa.failed', userId: user.id, meta, details: { stage: STAGE, reason: 'wrong_code' } });
      throw invalidMfaCode();
    }
    await giveBack(); // the proof was right: a refusal such as LAST_ADMIN is no guess
    throw error;
  }
  await giveBack();
}
