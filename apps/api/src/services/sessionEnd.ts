// Why a browser's session ended, so the web app can tell the person on its sign-in page
// (`/login?reason=…`) instead of dropping them there without a word. Read only for the holder
// of the signed session cookie (GET /api/auth/session), never for anyone else's session.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sessions } from '../db/schema.js';

export type SessionEndReason = 'revoked' | 'signed_out_everywhere' | 'password_changed' | 'locked' | 'expired' | 'signed_out';

/** sessions.revoked_reason (as written by the services that end sessions) → what the person is told. */
const BY_REVOKED_REASON: Record<string, SessionEndReason> = {
  logout: 'signed_out',
  logout_all: 'signed_out_everywhere',
  password_changed: 'password_changed',
  password_reset: 'password_changed',
  account_locked: 'locked',
  revoked_by_admin: 'revoked',
  revoked_by_user: 'revoked',
  mfa_reset: 'revoked',
  refresh_token_reused: 'revoked',
  unverified_identity_removed: 'revoked',
};

/** Undefined for an unknown (or deleted) session and for one that is still live. */
export async function sessionEndReason(db: Db, sessionId: string, now = new Date()): Promise<SessionEndReason | undefined> {
  const [row] = await db
    .select({
      revokedAt: sessions.revokedAt,
      revokedReason: sessions.revokedReason,
      expiresAt: sessions.expiresAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
    })
    .from(sessions)
    .where(eq(sessions.id, sessionId));
  if (!row) return undefined;
  if (row.revokedAt) return BY_REVOKED_REASON[row.revokedReason ?? ''] ?? 'revoked';
  if (row.expiresAt <= now || row.absoluteExpiresAt <= now) return 'expired';
  return undefined;
}
