import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { totpCredentials } from '../db/schema.js';
import { decrypt } from './secrets.js';
import { matchTotpStep } from './totp.js';

export type TotpCheck = 'accepted' | 'wrong' | 'replayed';

/** Accepts a TOTP code of an enabled credential once: its step must be later than the last one used. */
export async function useTotpCode(ctx: AppContext, tx: Db, userId: string, code: string): Promise<boolean> {
  return (await checkTotpCode(ctx, tx, userId, code)) === 'accepted';
}

/** As useTotpCode, and tells a right code that was already used (`replayed`) from a wrong one. */
export async function checkTotpCode(ctx: AppContext, tx: Db, userId: string, code: string): Promise<TotpCheck> {
  const [credential] = await tx
    .select()
    .from(totpCredentials)
    .where(and(eq(totpCredentials.userId, userId), isNotNull(totpCredentials.enabledAt)));
  if (!credential) return 'wrong';
  const step = matchTotpStep(decrypt(ctx.keys.encryption, credential.secretEncrypted), code);
  if (step === null) return 'wrong';
  const [accepted] = await tx
    .update(totpCredentials)
    .set({ lastUsedStep: step })
    .where(
      and(
        eq(totpCredentials.userId, userId),
        isNotNull(totpCredentials.enabledAt),
        or(isNull(totpCredentials.lastUsedStep), lt(totpCredentials.lastUsedStep, step)),
      ),
    )
    .returning({ userId: totpCredentials.userId });
  return accepted ? 'accepted' : 'replayed';
}
