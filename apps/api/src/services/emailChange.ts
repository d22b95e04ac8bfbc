import { and, eq, ne, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { users } from '../db/schema.js';
import { confirmEmailChangeMail, emailChangeNoticeMail, emailTakenNoticeMail } from '../mail/templates/emailChange.js';
import { recordAudit } from './audit.js';
import { ApiError, validationFailed } from './errors.js';
import { enqueueMail } from './mail.js';
import { consumeOneTimeTokenRow, issueOneTimeToken, retireOneTimeTokens } from './oneTimeTokens.js';
import { removeUnverifiedIdentities } from './oauth/unverifiedIdentities.js';
import { consumeAccountAction } from './rateLimits.js';
import { confirmIdentity } from './reauthentication.js';
import { inTransaction, userChangedAfterCommit } from './transaction.js';
import { findUserByEmail, findUserById, normalizeEmail, toPublicUser, type PublicUser } from './users.js';
import { webLink } from './webLinks.js';

/**
 * A new email address (not in the contract). Asking takes a re-authentication (the password, or
 * a sign-in of the last few minutes without one) and mails a single-use 24-hour link to the new
 * address and a notice to the current one; following the link makes the change. Whether the new
 * address already has an account never shows in the answer: that address gets a short note
 * instead of a link. Sessions stay: access tokens carry no address (services/accessTokens.ts).
 */

const STAGE = 'change_email';

export const invalidEmailChangeToken = () =>
  new ApiError(400, 'INVALID_TOKEN', 'This confirmation link is invalid, already used or expired. Ask for a new one.');
const emailTaken = () =>
  new ApiError(409, 'EMAIL_TAKEN', 'Another account uses this email address now.', [{ field: 'newEmail', message: 'This email is already registered.' }]);

export async function requestEmailChange(
  ctx: AppContext,
  auth: { userId: string; sessionId: string },
  input: { newEmail: string; password?: string },
  meta: RequestMeta,
): Promise<void> {
  const { user, succeeded } = await confirmIdentity(ctx, auth, input.password, meta, {
    stage: STAGE,
    action: 'change your email address',
    failureType: 'login.failed',
  });
  // No code follows: a right password (or a fresh sign-in) is the whole proof.
  await succeeded();
  const newEmail = input.newEmail.trim();
  if (normalizeEmail(newEmail) === user.emailNormalized) throw validationFailed([{ field: 'newEmail', message: 'This is already your email address.' }]);
  // Counted per account once it is proved, so wrong passwords cost login attempts, not this.
  await consumeAccountAction(ctx, 'email_change', user.id);
  const owner = await findUserByEmail(ctx.db, newEmail);
  await inTransaction(ctx, async (tx) => {
    // Only the newest request stands: an older link (perhaps someone else's request) stops working.
    await retireOneTimeTokens(tx, user.id, 'email_change');
    if (owner) {
      await enqueueMail(ctx, tx, owner.email, emailTakenNoticeMail());
    } else {
      const token = await issueOneTimeToken(tx, user.id, 'email_change', newEmail);
      const link = webLink(ctx.config, 'confirmEmailChange', { token });
      await enqueueMail(ctx, tx, newEmail, confirmEmailChangeMail({ displayName: user.displayName, link }), { link });
    }
    // Sent either way, so the current inbox does not tell whether the new address was free.
    const securityUrl = webLink(ctx.config, 'securitySettings');
    await enqueueMail(ctx, tx, user.email, emailChangeNoticeMail({ displayName: user.displayName, newEmail, stage: 'requested', securityUrl }));
  });
}

/**
 * Follows the link: the token is used, the address changes and counts as verified (the link came
 * to it). Outstanding reset and verification links went to the old address and stop working.
 * When another account took the address meanwhile: 409 EMAIL_TAKEN, and the whole transaction
 * rolls back, the token's use included (it works again should the address become free).
 */
export async function confirmEmailChange(ctx: AppContext, token: string, meta: RequestMeta): Promise<PublicUser> {
  const changed = await inTransaction(ctx, async (tx) => {
    const row = await consumeOneTimeTokenRow(tx, token, 'email_change');
    if (!row?.newEmail) return undefined;
    const emailNormalized = normalizeEmail(row.newEmail);
    const [other] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.emailNormalized, emailNormalized), ne(users.id, row.userId)));
    if (other) throw emailTaken();
    const [before] = await tx.select({ email: users.email, displayName: users.displayName }).from(users).where(eq(users.id, row.userId));
    if (!before) return undefined;
    await tx
      .update(users)
      .set({ email: row.newEmail, emailNormalized, emailVerifiedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(users.id, row.userId));
    userChangedAfterCommit(tx, row.userId);
    for (const purpose of ['email_change', 'password_reset', 'email_verification'] as const) await retireOneTimeTokens(tx, row.userId, purpose);
    // Neither address: the audit log is not a copy of people's data.
    await recordAudit(tx, { type: 'user.email_changed', userId: row.userId, meta });
    const securityUrl = webLink(ctx.config, 'securitySettings');
    await enqueueMail(ctx, tx, before.email, emailChangeNoticeMail({ displayName: before.displayName, newEmail: row.newEmail, stage: 'changed', securityUrl }));
    // Proving the (new) address also drops identities linked without a proof of theirs.
    await removeUnverifiedIdentities(ctx, tx, row.userId, 'email_changed', meta);
    return { userId: row.userId };
  }).catch((error: unknown) => {
    // Two confirmations for one address at the same moment: the unique index decides.
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  });
  const user = changed ? await findUserById(ctx.db, changed.userId) : undefined;
  if (!user) throw invalidEmailChangeToken();
  return toPublicUser(user);
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
