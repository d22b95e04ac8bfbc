import { randomInt } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { MfaChallenge } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../context.js';
import { emailSignInCodes, users } from '../db/schema.js';
import { emailSignInMail } from '../mail/templates/passkeys.js';
import { recordAudit } from './audit.js';
import { startSession, type SignedIn } from './auth.js';
import { ApiError, notFound } from './errors.js';
import { enqueueMail } from './mail.js';
import { createMfaChallenge } from './mfaChallenges.js';
import { removeUnverifiedIdentities } from './oauth/unverifiedIdentities.js';
import { addressKey } from './rateLimits.js';
import { deriveKey, hmac, randomToken, safeEqual, sha256 } from './secrets.js';
import { inTransaction } from './transaction.js';
import { findUserByEmail, findUserById, normalizeEmail, type UserWithMfa } from './users.js';
import { webLink } from './webLinks.js';

/**
 * Sign-in by email (EMAIL_SIGNIN): one mail with a 6-digit code and a link. The code is stored as
 * an HMAC under a key derived from SECRET_KEY (a million codes are no work to try against a plain
 * hash from a leaked dump), the link as SHA-256 of 256 random bits; 10 minutes, 5 tries, single use,
 * and every try also counts on the login limits of the account. The request answers 202 before any
 * work, for known and unknown addresses alike. Redeeming proves the address: it is verified.
 */

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

const wrongCode = () =>
  new ApiError(401, 'INVALID_CREDENTIALS', 'The code is wrong or has expired. Ask for a new one.', [
    { field: 'code', message: 'The code is wrong or has expired.' },
  ]);
const deadLink = () => new ApiError(401, 'INVALID_CREDENTIALS', 'This sign-in link has expired or was already used. Ask for a new code.');

export function requireEmailSignIn(ctx: AppContext): void {
  if (!ctx.config.EMAIL_SIGNIN) throw notFound();
}

const codeHash = (ctx: AppContext, emailNormalized: string, code: string) =>
  hmac(deriveKey(ctx.config.SECRET_KEY, 'email-sign-in'), `${emailNormalized}:${code}`);

/** Counted before the 202, for unknown addresses too, so a 429 says nothing about an account. */
export async function limitEmailSignIn(ctx: AppContext, email: string, ip: string | null): Promise<void> {
  await ctx.rateLimits.consumeAccountAction('email_sign_in_ip', addressKey(ip));
  await ctx.rateLimits.consumeAccountAction('email_sign_in', email);
}

/** After the 202: mails a code to an account's address (or any address with EMAIL_SIGNUP). */
export async function sendSignInCode(ctx: AppContext, typed: string, meta: RequestMeta): Promise<void> {
  const email = typed.trim();
  const normalized = normalizeEmail(email);
  const user = await findUserByEmail(ctx.db, email);
  if (!user && !ctx.config.EMAIL_SIGNUP) return;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const token = randomToken();
  await inTransaction(ctx, async (tx) => {
    // One live code per address: a new request retires the earlier ones.
    await tx
      .update(emailSignInCodes)
      .set({ usedAt: sql`now()` })
      .where(and(eq(emailSignInCodes.emailNormalized, normalized), isNull(emailSignInCodes.usedAt)));
    await tx.insert(emailSignInCodes).values({
      emailNormalized: normalized,
      email: user?.email ?? email,
      codeHash: codeHash(ctx, normalized, code),
      linkHash: sha256(token),
      expiresAt: new Date(Date.now() + CODE_TTL_MS),
    });
    const url = webLink(ctx.config, 'login', { signInToken: token });
    await enqueueMail(ctx, tx, user?.email ?? email, emailSignInMail({ code, url, minutes: CODE_TTL_MS / 60_000 }), { link: url });
    await recordAudit(tx, { type: 'email_sign_in.requested', userId: user?.id ?? null, actorId: null, meta, details: { newAccount: !user } });
  });
}

export type EmailSignInOutcome = { kind: 'signed_in'; result: SignedIn } | { kind: 'mfa_required'; challenge: MfaChallenge };

export async function redeemSignIn(
  ctx: AppContext,
  input: { email: string; code: string } | { token: string },
  meta: RequestMeta,
): Promise<EmailSignInOutcome> {
  let row: typeof emailSignInCodes.$inferSelect | undefined;
  if ('token' in input) {
    [row] = await ctx.db
      .update(emailSignInCodes)
      .set({ usedAt: sql`now()` })
      .where(and(eq(emailSignInCodes.linkHash, sha256(input.token)), isNull(emailSignInCodes.usedAt), gt(emailSignInCodes.expiresAt, sql`now()`)))
      .returning();
    if (!row) throw deadLink();
  } else {
    const normalized = normalizeEmail(input.email);
    // The login limits of the account, from this address and overall: the same for unknown addresses.
    await ctx.rateLimits.reserveLoginAttempt(input.email, meta.ip);
    const [live] = await ctx.db
      .select()
      .from(emailSignInCodes)
      .where(and(eq(emailSignInCodes.emailNormalized, normalized), isNull(emailSignInCodes.usedAt), gt(emailSignInCodes.expiresAt, sql`now()`)))
      .orderBy(desc(emailSignInCodes.createdAt))
      .limit(1);
    // One try reserved before the code is compared, so parallel guesses cannot pass the cap.
    const [tried] = live
      ? await ctx.db
          .update(emailSignInCodes)
          .set({ attempts: sql`${emailSignInCodes.attempts} + 1` })
          .where(and(eq(emailSignInCodes.id, live.id), isNull(emailSignInCodes.usedAt), lt(emailSignInCodes.attempts, MAX_CODE_ATTEMPTS)))
          .returning()
      : [];
    if (!tried || !safeEqual(tried.codeHash, codeHash(ctx, normalized, input.code))) {
      await recordAudit(ctx.db, {
        type: 'login.failed',
        userId: null,
        actorId: null,
        meta,
        details: { method: 'email_code', reason: tried ? 'wrong_code' : 'no_live_code' },
      });
      throw wrongCode();
    }
    [row] = await ctx.db
      .update(emailSignInCodes)
      .set({ usedAt: sql`now()` })
      .where(and(eq(emailSignInCodes.id, tried.id), isNull(emailSignInCodes.usedAt)))
      .returning();
    if (!row) throw wrongCode();
    await ctx.rateLimits.loginSucceeded(input.email, meta.ip);
  }
  const user = await accountFor(ctx, row, meta);
  if (!user) throw 'token' in input ? deadLink() : wrongCode();
  if (user.mfaEnabled) return { kind: 'mfa_required', challenge: await createMfaChallenge(ctx, user, 'otp') };
  return { kind: 'signed_in', result: await startSession(ctx, user, meta, ['otp'], { method: 'email_code' }) };
}

/** The account of a redeemed code, its address now verified; made passwordless with EMAIL_SIGNUP. */
async function accountFor(ctx: AppContext, row: typeof emailSignInCodes.$inferSelect, meta: RequestMeta): Promise<UserWithMfa | undefined> {
  const userId = await inTransaction(ctx, async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.emailNormalized, row.emailNormalized)).for('update');
    if (existing) {
      if (!existing.emailVerifiedAt) {
        await tx
          .update(users)
          .set({ emailVerifiedAt: sql`now()`, updatedAt: sql`now()` })
          .where(eq(users.id, existing.id));
        await recordAudit(tx, { type: 'email.verified', userId: existing.id, meta, details: { via: 'email_sign_in' } });
        await removeUnverifiedIdentities(ctx, tx, existing.id, 'email_verified', meta);
      }
      return existing.id;
    }
    if (!ctx.config.EMAIL_SIGNUP) return undefined;
    // The local part, printable ASCII only (no hidden characters: shownText.ts); they can rename themselves.
    const displayName =
      (row.email.split('@')[0] ?? '')
        .replace(/[^\x20-\x7E]/g, '')
        .trim()
        .slice(0, 100) || 'New user';
    const [created] = await tx
      .insert(users)
      .values({ email: row.email, emailNormalized: row.emailNormalized, displayName, passwordHash: null, emailVerifiedAt: sql`now()` })
      .onConflictDoNothing({ target: users.emailNormalized })
      .returning();
    if (!created) return undefined;
    await recordAudit(tx, { type: 'user.registered', userId: created.id, meta, details: { via: 'email_sign_in' } });
    return created.id;
  });
  return userId ? findUserById(ctx.db, userId) : undefined;
}
