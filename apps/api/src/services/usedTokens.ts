import type { Db } from '../db/client.js';
import { usedTokens } from '../db/schema.js';
import { sha256 } from './secrets.js';

/**
 * Single-use markers every instance shares (the `used_tokens` table): the first claim of a secret
 * for a purpose wins, every later one — on this instance or another — loses. The primary key makes
 * the claim one atomic `insert … on conflict do nothing`; the cleanup job deletes a marker once it
 * has expired, which is when the secret it marks would have been refused anyway.
 */

export type UsedTokenPurpose = 'oauth_state' | 'oauth_mfa_handoff';

/** True the first time `secret` is claimed for `purpose`; false on every later attempt. */
export async function claimUsedToken(db: Db, purpose: UsedTokenPurpose, secret: string, expiresAt: Date): Promise<boolean> {
  // The purpose is part of the hash: one secret marked for one purpose says nothing of another.
  const rows = await db
    .insert(usedTokens)
    .values({ tokenHash: sha256(`${purpose}:${secret}`), purpose, expiresAt })
    .onConflictDoNothing({ target: usedTokens.tokenHash })
    .returning({ tokenHash: usedTokens.tokenHash });
  return rows.length === 1;
}
