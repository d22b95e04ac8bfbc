import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { MfaChallenge } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../context.js';
import { mfaChallenges, passkeys, type FirstFactor } from '../db/schema.js';
import { totpCodeReplayedMail } from '../mail/templates/totpCodeReplayed.js';
import { recordAudit } from './audit.js';
import { startSession, type SignedIn } from './auth.js';
import { ApiError } from './errors.js';
import { enqueueMail } from './mail.js';
import { useRecoveryCode } from './recoveryCodes.js';
import { randomToken, sha256 } from './secrets.js';
import { afterWrongSecondFactor, clearSecondFactorFailures, reserveSecondFactorGuess, secondFactorLocked } from './secondFactorFailures.js';
import { checkTotpCode, type TotpCheck } from './totpCodes.js';
import { inTransaction } from './transaction.js';
import { findUserById, type UserWithMfa } from './users.js';
import { webLink } from './webLinks.js';

/**
 * The two-step login. After the password, the client holds an `mfaToken`: 256 random bits,
 * stored as SHA-256, valid 5 minutes, good for MAX_ATTEMPTS codes at most, and used up by the
 * first right one. Each attempt is reserved with one conditional UPDATE before the code is
 * checked, so parallel guesses cannot exceed the limit; it is also taken from the account's
 * overall login budget, which bounds the guesses of someone who keeps getting new mfaTokens per
 * hour, and counted against the lifetime cap of services/secondFactorFailures.ts, which bounds them
 * for good.
 */

export const MFA_CHALLENGE_TTL_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 5;
export const MFA_METHODS = ['totp', 'recovery_code'] as const;
/** The first factor as the audit log names it. */
export const FIRST_FACTOR_NAMES = { pwd: 'password', fed: 'oauth', otp: 'email_code' } as const;

const deadChallenge = () => new ApiError(401, 'INVALID_TOKEN', 'This sign-in has expired. Enter your email and password again.');

export async function createMfaChallenge(ctx: AppContext, user: UserWithMfa, firstFactor: FirstFactor): Promise<MfaChallenge> {
  const mfaToken = randomToken();
  await ctx.db.transaction(async (tx) => {
    await tx.delete(mfaChallenges).where(and(eq(mfaChallenges.userId, user.id), lt(mfaChallenges.expiresAt, sql`now()`)));
    await tx
      .insert(mfaChallenges)
      .values({ userId: user.id, tokenHash: sha256(mfaToken), expiresAt: new Date(Date.now() + MFA_CHALLENGE_TTL_MS), firstFactor });
  });
  // Beyond the contract: a passkey can stand in for the code (services/passkeySignIn.ts).
  const hasPasskey = (await ctx.db.$count(passkeys, eq(passkeys.userId, user.id))) > 0;
  return { mfaRequired: true, mfaToken, methods: [...MFA_METHODS], ...(hasPasskey && { passkey: true as const }) };
}

export type SecondFactor = { code: string } | { recoveryCode: string };

export async function completeMfaLogin(ctx: AppContext, input: { mfaToken: string } & SecondFactor, meta: RequestMeta): Promise<SignedIn> {
  if (!/^[A-Za-z0-9_-]{20,128}$/.test(input.mfaToken)) throw deadChallenge();
  const tokenHash = sha256(input.mfaToken);

  const [challenge] = await ctx.db
    .update(mfaChallenges)
    .set({ attempts: sql`${mfaChallenges.attempts} + 1` })
    .where(
      and(
        eq(mfaChallenges.tokenHash, tokenHash),
        isNull(mfaChallenges.usedAt),
        gt(mfaChallenges.expiresAt, sql`now()`),
        lt(mfaChallenges.attempts, MAX_ATTEMPTS),
      ),
    )
    .returning();
  if (!challenge) throw await whyRefused(ctx, tokenHash);
  const user = await findUserById(ctx.db, challenge.userId);
  if (!user) throw deadChallenge();
  await ctx.rateLimits.reserveSecondFactorAttempt(user.email);
  const method = 'code' in input ? 'totp' : 'recovery_code';
  // Counted as wrong until it proves right; at the cap no code is even looked at (no oracle either).
  const failures = await reserveSecondFactorGuess(ctx.db, user.id, ctx.config.MFA_MAX_CONSECUTIVE_FAILURES);
  if (failures === undefined) {
    await recordAudit(ctx.db, { type: 'mfa.failed', userId: user.id, meta, details: { stage: 'login', method, reason: 'locked' } });
    throw secondFactorLocked();
  }

  const outcome = await ctx.db.transaction(async (tx): Promise<TotpCheck> => {
    const check =
      'code' in input
        ? await checkTotpCode(ctx, tx, challenge.userId, input.code)
        : (await useRecoveryCode(tx, challenge.userId, input.recoveryCode))
          ? 'accepted'
          : 'wrong';
    if (check !== 'accepted') return check;
    // Single use: of two right codes racing on one mfaToken, one wins; the other rolls back its code.
    const [claimed] = await tx
      .update(mfaChallenges)
      .set({ usedAt: sql`now()` })
      .where(and(eq(mfaChallenges.id, challenge.id), isNull(mfaChallenges.usedAt)))
      .returning({ id: mfaChallenges.id });
    if (!claimed) throw deadChallenge();
    await clearSecondFactorFailures(tx, challenge.userId);
    if (method === 'recovery_code') await recordAudit(tx, { type: 'mfa.recovery_code_used', userId: challenge.userId, meta });
    return 'accepted';
  });
  if (outcome === 'replayed' && (await challengeWasUsed(ctx, challenge.id))) {
    // A double submit of one right code, racing: the first one signed in; this one is no attack
    // and no failure (its reservation may have landed after the first one cleared the count).
    await clearSecondFactorFailures(ctx.db, challenge.userId);
    throw deadChallenge();
  }
  if (outcome !== 'accepted') {
    const attemptsLeft = MAX_ATTEMPTS - challenge.attempts;
    const details = { stage: 'login', method, attemptsLeft, consecutiveFailures: failures, ...(outcome === 'replayed' && { reason: 'replayed' }) };
    await inTransaction(ctx, async (tx) => {
      await recordAudit(tx, { type: 'mfa.failed', userId: challenge.userId, meta, details });
      // A right code used before, after the right password, on another mfaToken: tell the holder (ASVS 2.8.5).
      if (outcome === 'replayed')
        await enqueueMail(ctx, tx, user.email, totpCodeReplayedMail({ displayName: user.displayName, securityUrl: webLink(ctx.config, 'securitySettings') }));
      // Many in a row: tell the holder (at the warning mark and at the cap, not every time).
      await afterWrongSecondFactor(ctx, tx, user, failures, meta);
    });
    if (failures >= ctx.config.MFA_MAX_CONSECUTIVE_FAILURES) throw secondFactorLocked();
    const message =
      method === 'totp' ? 'The code is not valid. Check your authenticator app and try again.' : 'The recovery code is not valid or was already used.';
    throw new ApiError(401, 'INVALID_MFA_CODE', message);
  }

  await ctx.rateLimits.secondFactorSucceeded(user.email);
  // A recovery code is a one-time code too (RFC 8176 'otp'); the audit log tells the two apart.
  const first = challenge.firstFactor;
  return startSession(ctx, user, meta, first === 'otp' ? ['otp', 'mfa'] : [first, 'otp', 'mfa'], { method: `${FIRST_FACTOR_NAMES[first]}+${method}` });
}

async function challengeWasUsed(ctx: AppContext, id: string): Promise<boolean> {
  const [row] = await ctx.db.select({ usedAt: mfaChallenges.usedAt }).from(mfaChallenges).where(eq(mfaChallenges.id, id));
  return row?.usedAt != null;
}

/** A refused mfaToken: used up by wrong codes (429 until it would have expired), else unknown, used or expired (401). */
async function whyRefused(ctx: AppContext, tokenHash: string): Promise<ApiError> {
  const [row] = await ctx.db.select().from(mfaChallenges).where(eq(mfaChallenges.tokenHash, tokenHash));
  if (row && !row.usedAt && row.expiresAt.getTime() > Date.now() && row.attempts >= MAX_ATTEMPTS) {
    const retryAfter = Math.max(1, Math.ceil((row.expiresAt.getTime() - Date.now()) / 1000));
    return new ApiError(429, 'RATE_LIMITED', 'Too many wrong codes for this sign-in. Sign in again with your password.', undefined, {
      retryAfterSeconds: retryAfter,
    });
  }
  return deadChallenge();
}
