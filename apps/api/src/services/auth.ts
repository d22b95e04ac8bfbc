import { eq } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import { users, type Amr } from '../db/schema.js';
import { issueAccessToken } from './accessTokens.js';
import { recordAudit } from './audit.js';
import { queueVerificationMail } from './emailVerification.js';
import { accountLocked, ApiError, invalidCredentials } from './errors.js';
import { createSession, rotateRefreshToken, type IssuedRefreshToken, type RotationResult } from './sessions.js';
import { singleFlight } from './singleFlight.js';
import { activeOrganizationOf } from './orgs/activeOrganization.js';
import { openSession } from './sessionStart.js';
import { inTransaction } from './transaction.js';
import { findUserByEmail, normalizeEmail, toPublicUser, type PublicUser, type UserWithMfa } from './users.js';

/** Sign-up, sign-in and refresh: the flows that end in a session and a token pair. */

export interface SignedIn {
  user: PublicUser;
  accessToken: string;
  expiresIn: number;
  refresh: IssuedRefreshToken;
}

export async function signIn(ctx: AppContext, user: UserWithMfa, refresh: IssuedRefreshToken): Promise<SignedIn> {
  // A refreshed session keeps its active organization (issue 16); a new one has none yet. Read after
  // the rotation committed: a database failure now must not turn a committed rotation into a 503
  // (issue 17), so the token then goes out without the organization claims (less access, the safe
  // side) and the next refresh carries them again.
  // The common rotation (refreshFirstUse.ts) has read it in its own statement already.
  const org = refresh.created
    ? undefined
    : refresh.org !== undefined
      ? (refresh.org ?? undefined)
      : await activeOrganizationOf(ctx.db, refresh.sessionId, user.id).catch((err: unknown) => {
          ctx.logger.warn({ err: { message: err instanceof Error ? err.message : String(err) } }, 'refresh: active organization not read; token without it');
          return undefined;
        });
  const { accessToken, expiresIn } = await issueAccessToken(ctx.tokens, {
    userId: user.id,
    sessionId: refresh.sessionId,
    role: user.role,
    amr: refresh.amr,
    org,
  });
  return { user: toPublicUser(user), accessToken, expiresIn, refresh };
}

export async function register(ctx: AppContext, input: { email: string; password: string; displayName: string }, meta: RequestMeta): Promise<SignedIn> {
  const email = input.email.trim();
  // Hash before looking the address up, so a taken address costs the same time as a free one.
  const passwordHash = await ctx.passwords.hash(input.password);
  const created = await inTransaction(ctx, async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email, emailNormalized: normalizeEmail(email), displayName: input.displayName, passwordHash })
      .onConflictDoNothing({ target: users.emailNormalized })
      .returning();
    if (!user) return undefined;
    const refresh = await createSession(ctx, tx, user.id, meta, ['pwd']);
    await recordAudit(tx, { type: 'user.registered', userId: user.id, meta, details: { sessionId: refresh.sessionId } });
    await queueVerificationMail(ctx, tx, user, meta);
    return { user: { ...user, mfaEnabled: false }, refresh };
  });
  if (!created)
    throw new ApiError(409, 'EMAIL_TAKEN', 'An account with this email already exists.', [{ field: 'email', message: 'This email is already registered.' }]);
  return signIn(ctx, created.user, created.refresh);
}

export type PasswordCheck = { ok: true; user: UserWithMfa } | { ok: false };

/**
 * Checks an email and password. An unknown email does the same hashing work as a wrong password,
 * and both fail the same way. Upgrades the stored hash when the settings have changed.
 */
export async function checkPassword(ctx: AppContext, email: string, password: string, meta: RequestMeta): Promise<PasswordCheck> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user || !user.passwordHash) {
    await ctx.passwords.burn(password);
    await recordAudit(ctx.db, {
      type: 'login.failed',
      userId: user?.id ?? null,
      actorId: null,
      meta,
      details: { reason: user ? 'no_password' : 'unknown_email' },
    });
    return { ok: false };
  }
  if (!(await ctx.passwords.verify(user.passwordHash, password))) {
    await recordAudit(ctx.db, { type: 'login.failed', userId: user.id, meta, details: { reason: 'wrong_password' } });
    return { ok: false };
  }
  if (ctx.passwords.needsRehash(user.passwordHash)) {
    const upgraded = await ctx.passwords.hash(password);
    await ctx.db.update(users).set({ passwordHash: upgraded, updatedAt: new Date() }).where(eq(users.id, user.id));
  }
  return { ok: true, user };
}

export type LoginOutcome = { kind: 'signed_in'; result: SignedIn } | { kind: 'mfa_required'; user: UserWithMfa };

export async function login(ctx: AppContext, input: { email: string; password: string }, meta: RequestMeta): Promise<LoginOutcome> {
  // Brute-force defence, per account from this address and per account overall: counted the
  // same way for unknown emails, so a lock-out says nothing about whether the account exists.
  await ctx.rateLimits.reserveLoginAttempt(input.email, meta.ip);
  const check = await checkPassword(ctx, input.email, input.password, meta);
  if (!check.ok) throw invalidCredentials();
  await ctx.rateLimits.loginSucceeded(input.email, meta.ip);
  const { user } = check;
  // Only after the password is proven, so this tells nothing to someone guessing addresses.
  if (ctx.config.REQUIRE_EMAIL_VERIFICATION && !user.emailVerifiedAt) {
    throw new ApiError(403, 'EMAIL_NOT_VERIFIED', 'Verify your email address before signing in.');
  }
  // Only after the password is proven, as above: a locked account is not told to a guesser.
  if (user.lockedAt) {
    await recordAudit(ctx.db, { type: 'login.failed', userId: user.id, meta, details: { reason: 'account_locked' } });
    throw accountLocked();
  }
  if (user.mfaEnabled) return { kind: 'mfa_required', user };
  return { kind: 'signed_in', result: await startSession(ctx, user, meta, ['pwd'], { method: 'password' }) };
}

/** Opens a new session for a user whose identity is proven (password, MFA or OAuth), by the methods `amr`. */
export async function startSession(ctx: AppContext, user: UserWithMfa, meta: RequestMeta, amr: Amr[], details: Record<string, unknown>): Promise<SignedIn> {
  // The device check, the session, its token, the audit and webhook events, the mail: one statement (sessionStart.ts).
  const refresh = await openSession(ctx, user, meta, amr, details);
  return signIn(ctx, user, refresh);
}

const refreshFailure = {
  unknown: 'The refresh token is not valid.',
  revoked: 'This session has ended. Sign in again.',
  expired: 'This session has expired. Sign in again.',
} as const;

/** Per instance (context): refreshes of one token running at once share one rotation (singleFlight.ts). */
const rotations = new WeakMap<AppContext, ReturnType<typeof singleFlight<RotationResult>>>();

export async function refresh(ctx: AppContext, presented: string, meta: RequestMeta): Promise<SignedIn> {
  let shared = rotations.get(ctx);
  if (!shared) rotations.set(ctx, (shared = singleFlight<RotationResult>()));
  const result = await shared(presented, () => rotateRefreshToken(ctx, presented, meta));
  if (!result.ok) {
    // A session revoked now (reuse) or found revoked (told again, in case a lost acknowledgement
    // kept it quiet): every instance has heard of it by the time rotateRefreshToken returns.
    if (result.reason === 'reused') {
      ctx.logger.warn({ event: 'refresh.reuse_detected' }, 'refresh token reuse detected: session revoked');
      throw new ApiError(401, 'REFRESH_TOKEN_REUSED', 'This refresh token was already used. The session has been ended for safety.');
    }
    throw new ApiError(401, 'INVALID_TOKEN', refreshFailure[result.reason === 'no_user' ? 'revoked' : result.reason]);
  }
  return signIn(ctx, result.user, result.issued);
}
