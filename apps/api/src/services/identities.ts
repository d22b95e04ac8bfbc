import type { User } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import type { CachedSession } from './identityCache.js';
import { findLiveSessionWithUser } from './sessions.js';
import { findUserById, toPublicUser } from './users.js';

/**
 * The reads behind `GET /api/auth/me` and `GET /api/auth/session`: from the identity cache when it
 * holds them (no database round trip), otherwise from the database, then kept (services/identityCache.ts
 * says why a kept copy is never stale).
 */

export async function currentUser(ctx: Pick<AppContext, 'db' | 'identities'>, userId: string): Promise<User | undefined> {
  const cached = ctx.identities.user(userId);
  if (cached) return cached;
  const epoch = ctx.identities.begin();
  const row = await findUserById(ctx.db, userId);
  if (!row) return undefined;
  const user = toPublicUser(row);
  ctx.identities.fillUser(epoch, user);
  return user;
}

export async function liveSession(
  ctx: Pick<AppContext, 'db' | 'identities' | 'revocations'>,
  sessionId: string,
): Promise<{ session: CachedSession; user: User } | undefined> {
  // A revocation is never undone, and the list has it (for an access-token lifetime) however the cache fared.
  if (ctx.revocations.isSessionRevoked(sessionId)) return undefined;
  const cached = ctx.identities.liveSession(sessionId);
  if (cached) return cached;
  const epoch = ctx.identities.begin();
  const found = await findLiveSessionWithUser(ctx.db, sessionId);
  if (!found) return undefined;
  const { session: row } = found;
  const session: CachedSession = {
    id: row.id,
    userId: row.userId,
    expiresAt: row.expiresAt.getTime(),
    absoluteExpiresAt: row.absoluteExpiresAt.getTime(),
    amr: row.amr,
  };
  const user = toPublicUser(found.user);
  ctx.identities.fillSession(epoch, session, user);
  return { session, user };
}
