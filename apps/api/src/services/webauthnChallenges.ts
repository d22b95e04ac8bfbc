import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { webauthnChallenges, type WebauthnPurpose } from '../db/schema.js';

/**
 * WebAuthn challenges in the database, so that every instance agrees on them: the options call
 * stores one, the verify call claims it with a single conditional UPDATE (unused, unexpired, the
 * right purpose and the right binding), so a challenge is used at most once, also by two racing
 * requests, and only by whoever it was issued to.
 */

export const CHALLENGE_TTL_MS = 5 * 60_000;

/** What a challenge is bound to: the session that asked (registration), or a secret the asker holds (sign-in attempt, mfaToken) as its SHA-256. */
export type ChallengeBinding = { sessionId: string } | { attemptHash: string };

export async function storeChallenge(db: Db, challenge: string, purpose: WebauthnPurpose, binding: ChallengeBinding, userId: string | null): Promise<void> {
  // Expired ones go first (the cleanup job is the backstop), so the table stays small.
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, sql`now()`));
  await db.insert(webauthnChallenges).values({
    challenge,
    purpose,
    userId,
    sessionId: 'sessionId' in binding ? binding.sessionId : null,
    attemptHash: 'attemptHash' in binding ? binding.attemptHash : null,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
}

export type ClaimedChallenge = typeof webauthnChallenges.$inferSelect;

/**
 * Uses up the challenge of `purpose` bound to `binding` (and equal to `challenge` when given):
 * undefined when there is none, it was used, it expired, or it was issued to someone else.
 */
export async function claimChallenge(
  db: Db,
  purpose: WebauthnPurpose,
  binding: ChallengeBinding,
  challenge: string | undefined,
): Promise<ClaimedChallenge | undefined> {
  const bound = 'sessionId' in binding ? eq(webauthnChallenges.sessionId, binding.sessionId) : eq(webauthnChallenges.attemptHash, binding.attemptHash);
  const [row] = await db
    .update(webauthnChallenges)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(webauthnChallenges.purpose, purpose),
        bound,
        challenge === undefined ? undefined : eq(webauthnChallenges.challenge, challenge),
        isNull(webauthnChallenges.usedAt),
        gt(webauthnChallenges.expiresAt, sql`now()`),
      ),
    )
    .returning();
  return row;
}

/** The challenge a browser signed, read from the credential's clientDataJSON (checked again by the verifier). */
export function challengeOf(response: { clientDataJSON?: unknown }): string | undefined {
  const clientData = response.clientDataJSON;
  if (typeof clientData !== 'string' || clientData.length > 8192) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(clientData, 'base64url').toString('utf8')) as unknown;
    const challenge = (parsed as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && challenge.length <= 1024 ? challenge : undefined;
  } catch {
    return undefined;
  }
}
