import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { oneTimeTokens } from '../db/schema.js';
import { randomToken, sha256 } from './secrets.js';

/**
 * Single-use tokens sent by mail (email verification, password reset, a change of address). Only the SHA-256 of a
 * token is stored; the token itself exists in the mail alone. Using one is a single conditional
 * UPDATE, so two concurrent uses cannot both succeed.
 */

export type TokenPurpose = 'email_verification' | 'password_reset' | 'email_change';

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  email_verification: 24 * 60 * 60_000,
  password_reset: 60 * 60_000,
  email_change: 24 * 60 * 60_000,
};

/** Tokens are base64url; anything else (or absurdly long) is refused before touching the database. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,128}$/;

/**
 * `newEmail`: for an `email_change` token, the address it moves the account to. `ttlMs`: a lifetime
 * other than the purpose's own (an invitation is a password-reset link that lives for days).
 */
export async function issueOneTimeToken(tx: Db, userId: string, purpose: TokenPurpose, newEmail?: string, ttlMs = TOKEN_TTL_MS[purpose]): Promise<string> {
  const token = randomToken();
  await tx.insert(oneTimeTokens).values({ userId, purpose, tokenHash: sha256(token), newEmail, expiresAt: new Date(Date.now() + ttlMs) });
  return token;
}

/** Marks the token used and returns its user, or undefined when it is unknown, used, expired or for another purpose. */
export async function consumeOneTimeToken(tx: Db, token: string, purpose: TokenPurpose): Promise<string | undefined> {
  return (await consumeOneTimeTokenRow(tx, token, purpose))?.userId;
}

/** As consumeOneTimeToken, with the pending address of an `email_change` token. */
export async function consumeOneTimeTokenRow(tx: Db, token: string, purpose: TokenPurpose): Promise<{ userId: string; newEmail: string | null } | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const [row] = await tx
    .update(oneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(oneTimeTokens.tokenHash, sha256(token)),
        eq(oneTimeTokens.purpose, purpose),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: oneTimeTokens.userId, newEmail: oneTimeTokens.newEmail });
  return row;
}

/** Retires every outstanding token of a kind, e.g. older reset links once the password has changed. */
export async function retireOneTimeTokens(tx: Db, userId: string, purpose: TokenPurpose): Promise<void> {
  await tx
    .update(oneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt)));
}
