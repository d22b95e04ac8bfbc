import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { recoveryCodes } from '../db/schema.js';
import { sha256 } from './secrets.js';

/**
 * Recovery codes: 10 single-use codes of 120 random bits each (ASVS 2.6.2 asks for at least 112), shown once and stored as SHA-256
 * (they are random, not chosen by people, so a fast hash is enough: nothing to brute-force).
 * A code is found by its hash, never compared character by character.
 */

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'; // 32 symbols: one byte → one symbol without bias via & 31
const LENGTH = 24;

/** `xxxx-xxxx-xxxx-xxxx-xxxx-xxxx`, easy to read aloud and type. */
export function generateRecoveryCode(): string {
  const chars = [...randomBytes(LENGTH)].map((b) => ALPHABET[b & 31]).join('');
  return Array.from({ length: chars.length / 4 }, (_, i) => chars.slice(i * 4, i * 4 + 4)).join('-');
}

/** Case, spaces and dashes do not matter; anything else that is not a code shape is null. */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, '');
  return new RegExp(`^[${ALPHABET}]{${LENGTH}}$`).test(compact) ? compact : null;
}

/** The stored form of a code generateRecoveryCode made (always a valid shape). */
function generatedCodeKey(code: string): string {
  const normalized = normalizeRecoveryCode(code);
  if (!normalized) throw new Error('generateRecoveryCode made a code of the wrong shape');
  return normalized;
}

/** Replaces every code of the user with a fresh set; returns the codes in plain text, once. */
export async function replaceRecoveryCodes(tx: Db, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: sha256(generatedCodeKey(code)) })));
  return codes;
}

/** Uses a code once: a single conditional UPDATE, so two concurrent uses cannot both succeed. */
export async function useRecoveryCode(tx: Db, userId: string, input: string): Promise<boolean> {
  const code = normalizeRecoveryCode(input);
  if (!code) return false;
  const [row] = await tx
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, sha256(code)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return row !== undefined;
}

export async function countUnusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}
