import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { mfaChallenges, passkeys, type Amr } from '../db/schema.js';
import { passkeyClonedMail } from '../mail/templates/passkeys.js';
import { recordAudit } from './audit.js';
import { startSession, type SignedIn } from './auth.js';
import { ApiError } from './errors.js';
import { enqueueMail } from './mail.js';
import { FIRST_FACTOR_NAMES, MAX_ATTEMPTS } from './mfaChallenges.js';
import { reasonOf, type PasskeyRow } from './passkeys.js';
import { randomToken, sha256 } from './secrets.js';
import { clearSecondFactorFailures } from './secondFactorFailures.js';
import { inTransaction } from './transaction.js';
import { findUserById, type UserWithMfa } from './users.js';
import { claimChallenge, storeChallenge } from './webauthnChallenges.js';
import { webLink } from './webLinks.js';

// Loaded on first use: the library takes a third of a second to import, paid at every start otherwise (issue 17).
const webauthn = () => import('@simplewebauthn/server');

/**
 * Signing in with a passkey: as the first factor (a discoverable credential, user verification
 * required, which makes it two factors in one: `amr` hwk/swk + mfa, so no TOTP follows), and as
 * the second factor after a password (the challenge bound to the mfaToken, the account's passkeys
 * allowed). Every refusal of a first-factor sign-in is the same `401 INVALID_CREDENTIALS`.
 */

const refused = () => new ApiError(401, 'INVALID_CREDENTIALS', 'The passkey sign-in did not succeed. Try again, or sign in another way.');
const deadMfa = () => new ApiError(401, 'INVALID_TOKEN', 'This sign-in has expired. Enter your email and password again.');
const wrongSecondFactor = () => new ApiError(401, 'INVALID_MFA_CODE', 'The passkey could not be verified. Try again, or use a code.');

/** The session's amr for a passkey: a synced one (backed up) is a software key, a device-bound one a hardware key. */
export const passkeyAmr = (backedUp: boolean): Amr => (backedUp ? 'swk' : 'hwk');

export async function signInOptions(ctx: AppContext) {
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({ rpID: ctx.config.WEBAUTHN_RP_ID, userVerification: 'required' });
  const attemptId = randomToken();
  await storeChallenge(ctx.db, options.challenge, 'authentication', { attemptHash: sha256(attemptId) }, null);
  return { options: options as unknown as Record<string, unknown>, attemptId };
}

type Verified = { passkey: PasskeyRow; user: UserWithMfa; backedUp: boolean };

/**
 * Checks an assertion against a claimed challenge and the stored credential, then moves the
 * counter forward in one conditional UPDATE (two uses racing with one counter value: one wins).
 * A counter that does not move forward (when the authenticator keeps one) is a cloned
 * authenticator: refused, audited and mailed to the holder.
 */
async function verifyAssertion(
  ctx: AppContext,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  requireUserVerification: boolean,
  meta: RequestMeta,
  onlyUser?: string,
): Promise<Verified | { failure: string; userId?: string }> {
  const [passkey] = await ctx.db.select().from(passkeys).where(eq(passkeys.credentialId, response.id));
  if (!passkey) return { failure: 'unknown_credential' };
  // A second factor must be one of this account's passkeys; a first factor names its account by the credential alone.
  if (onlyUser !== undefined && passkey.userId !== onlyUser) return { failure: 'other_users_credential', userId: onlyUser };
  const user = await findUserById(ctx.db, passkey.userId);
  if (!user) return { failure: 'unknown_credential' };
  // The user handle, when the authenticator returns one, must be the account the credential was made for.
  const handle = response.response.userHandle;
  if (handle && Buffer.from(handle, 'base64url').toString('utf8') !== user.id) return { failure: 'user_handle_mismatch', userId: user.id };
  let verification;
  try {
    const { verifyAuthenticationResponse } = await webauthn();
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: ctx.config.WEBAUTHN_ORIGINS,
      expectedRPID: ctx.config.WEBAUTHN_RP_ID,
      credential: {
        id: passkey.credentialId,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: passkey.counter,
        transports: passkey.transports as never,
      },
      requireUserVerification,
    });
  } catch (error) {
    const reason = reasonOf(error);
    if (/counter/i.test(reason)) await reportClone(ctx, user, passkey, meta);
    return { failure: reason, userId: user.id };
  }
  if (!verification.verified) return { failure: 'not_verified', userId: user.id };
  const { newCounter, credentialBackedUp } = verification.authenticationInfo;
  const [updated] = await ctx.db
    .update(passkeys)
    .set({ counter: newCounter, backedUp: credentialBackedUp, lastUsedAt: sql`now()` })
    .where(and(eq(passkeys.id, passkey.id), eq(passkeys.counter, passkey.counter)))
    .returning({ id: passkeys.id });
  // Another use of the same counter value got there first: a replayed or cloned assertion.
  if (!updated && newCounter !== 0) return { failure: 'counter_raced', userId: user.id };
  return { passkey, user, backedUp: credentialBackedUp };
}

async function reportClone(ctx: AppContext, user: UserWithMfa, passkey: PasskeyRow, meta: RequestMeta) {
  ctx.logger.warn({ event: 'passkey.counter_regression', passkeyId: passkey.id }, 'passkey counter went backwards: possible cloned authenticator');
  await inTransaction(ctx, async (tx) => {
    await recordAudit(tx, { type: 'passkey.failed', userId: user.id, meta, details: { passkeyId: passkey.id, reason: 'counter_regression' } });
    await enqueueMail(
      ctx,
      tx,
      user.email,
      passkeyClonedMail({ displayName: user.displayName, passkeyName: passkey.name, securityUrl: webLink(ctx.config, 'securitySettings') }),
    );
  });
}

export async function signInWithPasskey(
  ctx: AppContext,
  input: { attemptId: string; response: AuthenticationResponseJSON },
  meta: RequestMeta,
): Promise<SignedIn> {
  const claimed = await claimChallenge(ctx.db, 'authentication', { attemptHash: sha256(input.attemptId) }, undefined);
  if (!claimed) {
    await recordAudit(ctx.db, { type: 'login.failed', userId: null, actorId: null, meta, details: { method: 'passkey', reason: 'challenge_refused' } });
    throw refused();
  }
  const result = await verifyAssertion(ctx, input.response, claimed.challenge, true, meta);
  if ('failure' in result) {
    await recordAudit(ctx.db, {
      type: 'login.failed',
      userId: result.userId ?? null,
      actorId: null,
      meta,
      details: { method: 'passkey', reason: result.failure },
    });
    throw refused();
  }
  const { user, passkey, backedUp } = result;
  if (ctx.config.REQUIRE_EMAIL_VERIFICATION && !user.emailVerifiedAt) {
    throw new ApiError(403, 'EMAIL_NOT_VERIFIED', 'Verify your email address before signing in.');
  }
  // User verification was required: the passkey is something held and something known or been (two factors).
  return startSession(ctx, user, meta, [passkeyAmr(backedUp), 'mfa'], { method: 'passkey', passkeyId: passkey.id });
}

/** Claims one attempt of a live mfaToken, as a code at /login/mfa does. */
async function takeMfaAttempt(ctx: AppContext, mfaToken: string) {
  if (!/^[A-Za-z0-9_-]{20,128}$/.test(mfaToken)) throw deadMfa();
  const [challenge] = await ctx.db
    .update(mfaChallenges)
    .set({ attempts: sql`${mfaChallenges.attempts} + 1` })
    .where(
      and(
        eq(mfaChallenges.tokenHash, sha256(mfaToken)),
        isNull(mfaChallenges.usedAt),
        gt(mfaChallenges.expiresAt, sql`now()`),
        lt(mfaChallenges.attempts, MAX_ATTEMPTS),
      ),
    )
    .returning();
  if (!challenge) throw deadMfa();
  return challenge;
}

export async function secondFactorOptions(ctx: AppContext, mfaToken: string) {
  if (!/^[A-Za-z0-9_-]{20,128}$/.test(mfaToken)) throw deadMfa();
  const [challenge] = await ctx.db
    .select()
    .from(mfaChallenges)
    .where(and(eq(mfaChallenges.tokenHash, sha256(mfaToken)), isNull(mfaChallenges.usedAt), gt(mfaChallenges.expiresAt, sql`now()`)));
  if (!challenge) throw deadMfa();
  const own = await ctx.db.select().from(passkeys).where(eq(passkeys.userId, challenge.userId));
  if (own.length === 0) throw new ApiError(409, 'CONFLICT', 'This account has no passkey. Use a code instead.');
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID: ctx.config.WEBAUTHN_RP_ID,
    allowCredentials: own.map((p) => ({ id: p.credentialId, transports: p.transports as never })),
    userVerification: 'preferred',
  });
  await storeChallenge(ctx.db, options.challenge, 'second_factor', { attemptHash: sha256(mfaToken) }, challenge.userId);
  return { options: options as unknown as Record<string, unknown> };
}

export async function secondFactorWithPasskey(
  ctx: AppContext,
  input: { mfaToken: string; response: AuthenticationResponseJSON },
  meta: RequestMeta,
): Promise<SignedIn> {
  const challenge = await takeMfaAttempt(ctx, input.mfaToken);
  const user = await findUserById(ctx.db, challenge.userId);
  if (!user) throw deadMfa();
  await ctx.rateLimits.reserveSecondFactorAttempt(user.email);
  const claimed = await claimChallenge(ctx.db, 'second_factor', { attemptHash: sha256(input.mfaToken) }, undefined);
  const result = claimed ? await verifyAssertion(ctx, input.response, claimed.challenge, false, meta, user.id) : { failure: 'challenge_refused' };
  if ('failure' in result) {
    await recordAudit(ctx.db, { type: 'mfa.failed', userId: user.id, meta, details: { stage: 'login', method: 'passkey', reason: result.failure } });
    throw wrongSecondFactor();
  }
  const [used] = await ctx.db
    .update(mfaChallenges)
    .set({ usedAt: sql`now()` })
    .where(and(eq(mfaChallenges.id, challenge.id), isNull(mfaChallenges.usedAt)))
    .returning({ id: mfaChallenges.id });
  if (!used) throw deadMfa();
  await clearSecondFactorFailures(ctx.db, user.id);
  await ctx.rateLimits.secondFactorSucceeded(user.email);
  const first = challenge.firstFactor;
  return startSession(ctx, user, meta, [first, passkeyAmr(result.backedUp), 'mfa'], {
    method: `${FIRST_FACTOR_NAMES[first]}+passkey`,
    passkeyId: result.passkey.id,
  });
}
