import { and, eq, lt, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import type { Db } from '../db/client.js';
import { users } from '../db/schema.js';
import { secondFactorFailuresMail } from '../mail/templates/secondFactorFailures.js';
import { recordAudit } from './audit.js';
import { ApiError } from './errors.js';
import { enqueueMail } from './mail.js';
import type { Tx } from './transaction.js';
import { webLink } from './webLinks.js';

/**
 * The lifetime cap on second-factor guesses (NIST 800-63B 5.2.2, ASVS 2.2.1): the per-hour limits
 * slow a guesser who knows the password, this stops them. `users.second_factor_failures` counts
 * wrong codes at `POST /api/auth/login/mfa` (password and provider sign-ins alike) in a row, over
 * every sign-in and address. Each attempt is reserved with one conditional UPDATE before its code
 * is checked, so parallel guesses cannot pass the cap; a right code sets it back to 0. At the cap
 * the second factor is refused, right codes too, until the account is recovered: a password reset,
 * an admin's MFA reset (or the holder turning MFA off or on again from a live session).
 */

/** The holder is mailed at this many failures in a row (when below the cap), and again at the cap. */
export const FAILURE_WARNING_AT = 10;

const LOCKED_MESSAGE =
  'Too many wrong codes in a row: two-step verification is locked on this account. Reset your password ("Forgot password") to unlock it, or ask an administrator to reset two-step verification.';

/** 401 INVALID_MFA_CODE (the contract's code for this endpoint; a 429 would promise a time at which it ends). */
export const secondFactorLocked = () => new ApiError(401, 'INVALID_MFA_CODE', LOCKED_MESSAGE, [{ field: 'code', message: LOCKED_MESSAGE }]);

/** Counts this attempt as a failure until it proves right. Returns the count including it, or undefined at the cap. */
export async function reserveSecondFactorGuess(db: Db, userId: string, cap: number): Promise<number | undefined> {
  const [row] = await db
    .update(users)
    .set({ secondFactorFailures: sql`${users.secondFactorFailures} + 1` })
    .where(and(eq(users.id, userId), lt(users.secondFactorFailures, cap)))
    .returning({ failures: users.secondFactorFailures });
  return row?.failures;
}

/** A right code, or a recovery of the account: the count starts again. */
export async function clearSecondFactorFailures(db: Db, userId: string): Promise<void> {
  await db.update(users).set({ secondFactorFailures: 0 }).where(eq(users.id, userId));
}

/**
 * After a wrong code counted as the `failures`-th in a row: at the warning mark and at the cap the
 * holder is mailed (once each: every reservation sees its own count), and reaching the cap is audited.
 */
export async function afterWrongSecondFactor(
  ctx: AppContext,
  tx: Tx,
  user: { id: string; email: string; displayName: string },
  failures: number,
  meta: RequestMeta,
): Promise<boolean> {
  const cap = ctx.config.MFA_MAX_CONSECUTIVE_FAILURES;
  const locked = failures >= cap;
  if (!locked && failures !== FAILURE_WARNING_AT) return false;
  if (locked) await recordAudit(tx, { type: 'mfa.locked', userId: user.id, meta, details: { failures } });
  const mail = secondFactorFailuresMail({
    displayName: user.displayName,
    failures,
    locked,
    securityUrl: webLink(ctx.config, 'securitySettings'),
    forgotUrl: webLink(ctx.config, 'forgotPassword'),
  });
  await enqueueMail(ctx, tx, user.email, mail);
  return true;
}
