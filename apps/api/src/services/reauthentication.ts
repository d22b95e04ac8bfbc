import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import type { Db } from '../db/client.js';
import { sessions } from '../db/schema.js';
import { recordAudit } from './audit.js';
import { ApiError, invalidBearer, validationFailed } from './errors.js';
import { findUserById, type UserWithMfa } from './users.js';

/**
 * Proving it is really the account holder before a change the access token alone must not allow
 * (it may have been stolen): turning MFA on or off, new recovery codes, deleting the account. An account
 * with a password sends it; one without (OAuth sign-in only) has nothing to send, so its session
 * must have been signed in (not refreshed) within the last few minutes.
 */

export const FRESH_SIGN_IN_MINUTES = 10;

/** The audit type of a wrong password: a change to the second factor, or another re-authentication. */
export type ReauthenticationFailure = 'mfa.failed' | 'login.failed';

export interface Reauthentication {
  /** Names the action in the audit event of a wrong password, e.g. `delete_account`. */
  stage: string;
  /** What the person is doing, for the sign-in-again message: "delete your account". */
  action: string;
  failureType?: ReauthenticationFailure;
}

export interface ConfirmedIdentity {
  user: UserWithMfa;
  /**
   * Gives back the attempt taken from the login limits. Call it once the whole proof (a code
   * too) was right, or on a refusal that is no guess; a wrong code keeps the attempt.
   */
  succeeded(): Promise<void>;
}

export async function confirmIdentity(
  ctx: AppContext,
  auth: { userId: string; sessionId: string },
  password: string | undefined,
  meta: RequestMeta,
  { stage, action, failureType = 'mfa.failed' }: Reauthentication,
): Promise<ConfirmedIdentity> {
  const user = await findUserById(ctx.db, auth.userId);
  if (!user) throw invalidBearer('This account no longer exists.');
  const { passwordHash } = user;
  if (passwordHash) {
    if (password === undefined) throw validationFailed([{ field: 'password', message: 'Enter your password.' }]);
    await confirmPassword(ctx, { id: user.id, email: user.email, passwordHash }, password, meta, stage, failureType);
    return { user, succeeded: () => ctx.rateLimits.loginSucceeded(user.email, meta.ip) };
  }
  // A password sent anyway is ignored: the account has none to compare it with.
  await requireFreshSignIn(ctx.db, auth.sessionId, action);
  if (!user.mfaEnabled) return { user, succeeded: async () => {} };
  // The code that follows can be guessed, the session cannot: its attempt is taken from the
  // account's overall login budget, as codes at login are.
  await ctx.rateLimits.reserveSecondFactorAttempt(user.email);
  return { user, succeeded: () => ctx.rateLimits.secondFactorSucceeded(user.email) };
}

/**
 * The password. A stolen access token must not become a way to guess it: the attempt is reserved
 * on the login counters first, and kept when the password is wrong. The caller calls
 * loginSucceeded once it is satisfied.
 */
export async function confirmPassword(
  ctx: AppContext,
  user: { id: string; email: string; passwordHash: string },
  password: string,
  meta: RequestMeta,
  stage: string,
  failureType: ReauthenticationFailure = 'mfa.failed',
): Promise<void> {
  await ctx.rateLimits.reserveLoginAttempt(user.email, meta.ip);
  if (!(await ctx.passwords.verify(user.passwordHash, password))) {
    await recordAudit(ctx.db, { type: failureType, userId: user.id, meta, details: { stage, reason: 'wrong_password' } });
    throw new ApiError(401, 'INVALID_CREDENTIALS', 'The password is incorrect.', [{ field: 'password', message: 'The password is incorrect.' }]);
  }
}

export const signInAgain = (action: string) => {
  const message = `Your account has no password, so a recent sign-in proves it is you: sign out, sign in again, and ${action} within ${FRESH_SIGN_IN_MINUTES} minutes.`;
  return new ApiError(401, 'INVALID_CREDENTIALS', `Sign in again to ${action}.`, [{ field: 'session', message }]);
};

/** An account without a password proves itself by its session: signed in (not refreshed) a few minutes ago. */
export async function requireFreshSignIn(db: Db, sessionId: string, action: string): Promise<void> {
  if (!(await isFreshSignIn(db, sessionId))) throw signInAgain(action);
}

/** Whether the session was signed in (a sign-in, not a refresh: created_at never moves) within FRESH_SIGN_IN_MINUTES. */
export async function isFreshSignIn(db: Db, sessionId: string): Promise<boolean> {
  const [fresh] = await db
    .select({ id: sessions.id })
    .from(sessions)
    // The database's clock, the one that wrote created_at.
    .where(
      and(
        eq(sessions.id, sessionId),
        isNull(sessions.revokedAt),
        gt(sessions.createdAt, sql`now() - interval '${sql.raw(String(FRESH_SIGN_IN_MINUTES))} minutes'`),
      ),
    );
  return fresh !== undefined;
}

/** How a recent-sign-in-or-password check was passed, for the audit event. */
export type ReauthenticatedBy = 'password' | 'recent_sign_in';

/**
 * The gentler rule, for adding a protection rather than removing one (turning MFA on): a sign-in
 * within FRESH_SIGN_IN_MINUTES is enough, whatever the account; otherwise an account with a password
 * sends it, and one without signs in again. A password that is sent is always checked (on the
 * login counters, as confirmPassword does), even when the session is fresh: a wrong one is refused.
 * A bare access token of an older session, stolen or not, is refused with 401.
 */
export async function confirmRecentSignInOrPassword(
  ctx: AppContext,
  auth: { userId: string; sessionId: string },
  password: string | undefined,
  meta: RequestMeta,
  { stage, action, failureType = 'mfa.failed' }: Reauthentication,
): Promise<{ user: UserWithMfa; by: ReauthenticatedBy }> {
  const user = await findUserById(ctx.db, auth.userId);
  if (!user) throw invalidBearer('This account no longer exists.');
  const { passwordHash } = user;
  if (passwordHash && password !== undefined) {
    await confirmPassword(ctx, { id: user.id, email: user.email, passwordHash }, password, meta, stage, failureType);
    await ctx.rateLimits.loginSucceeded(user.email, meta.ip);
    return { user, by: 'password' };
  }
  if (await isFreshSignIn(ctx.db, auth.sessionId)) return { user, by: 'recent_sign_in' };
  throw passwordHash ? passwordOrSignInAgain(action) : signInAgain(action);
}

/** 401 for an account with a password whose session is not fresh: the password field is what is missing. */
export const passwordOrSignInAgain = (action: string) => {
  const message = `Enter your password to ${action} (or sign in again and do it within ${FRESH_SIGN_IN_MINUTES} minutes).`;
  return new ApiError(401, 'INVALID_CREDENTIALS', message, [{ field: 'password', message: 'Enter your password.' }]);
};
