import { and, desc, eq, getTableColumns, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Session } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../context.js';
import { onlyRow } from '../db/rows.js';
import type { Db } from '../db/client.js';
import { refreshTokens, sessions, totpCredentials, users, type Amr } from '../db/schema.js';
import type { RevocationMessage } from '../realtime/bus.js';
import { recordAudit, type AuditType } from './audit.js';
import { describeDevice } from './device.js';
import type { TokenOrganization } from './accessTokens.js';
import { accountLocked } from './errors.js';
import { ifOutcomeUnknown } from './commitOutcome.js';
import { rotateFirstUse } from './refreshFirstUse.js';
import { recordRevocations } from './revocations.js';
import { emitWebhookEvent } from './webhooks/outbox.js';
import { inTransaction, publishAfterCommit, publishAgain, type Tx } from './transaction.js';
import { hmac, randomToken, safeEqual, sha256 } from './secrets.js';
import { findUserById, withMfa, type UserWithMfa } from './users.js';

/**
 * Sessions and their refresh tokens. A refresh token is opaque, stored only as its SHA-256, and
 * rotated on every use inside one transaction that locks the session row, so concurrent refreshes
 * of one session are serialised. The successor of a token is HMAC(key, token): a benign race that
 * presents the just-rotated token again within the grace window gets that same successor back,
 * so every tab ends up holding the one current token and nobody is logged out.
 */

export type SessionRow = typeof sessions.$inferSelect;

export interface IssuedRefreshToken {
  sessionId: string;
  userId: string;
  refreshToken: string;
  refreshExpiresAt: Date;
  /** How the session was signed in; every access token of the session carries it. */
  amr: Amr[];
  /** A new session (not a refresh): revoked again if the client never receives it (http/undelivered.ts). */
  created?: boolean;
  /**
   * The session's active organization as the rotation read it (null: none), so that the token is
   * signed without another round trip; undefined when it was not read (signIn reads it then).
   */
  org?: TokenOrganization | null;
}

export async function createSession(ctx: AppContext, tx: Tx, userId: string, meta: RequestMeta, amr: Amr[]): Promise<IssuedRefreshToken> {
  // The sign-in is claimed on the user row: an admin's lock (accountLock.ts) that committed first
  // refuses it; one that comes after waits for this row and then revokes the session made here.
  const [claimed] = await tx
    .update(users)
    .set({ lastSignInAt: sql`now()` })
    .where(and(eq(users.id, userId), isNull(users.lockedAt)))
    .returning({ id: users.id });
  if (!claimed) throw accountLocked();
  const now = Date.now();
  const absoluteExpiresAt = new Date(now + ctx.config.SESSION_MAX_AGE);
  const expiresAt = new Date(Math.min(now + ctx.config.JWT_REFRESH_TTL, absoluteExpiresAt.getTime()));
  const session = onlyRow(
    await tx
      .insert(sessions)
      .values({
        userId,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 512) ?? null,
        device: describeDevice(meta.userAgent),
        expiresAt,
        absoluteExpiresAt,
        amr,
      })
      .returning({ id: sessions.id }),
    'createSession',
  );
  await emitWebhookEvent(tx, { type: 'session.created', userId, data: { sessionId: session.id, amr } });
  const refreshToken = randomToken();
  await tx.insert(refreshTokens).values({ sessionId: session.id, tokenHash: sha256(refreshToken), expiresAt });
  // Committed without the client hearing of it (a lost acknowledgement: it got a 503 and will sign
  // in again), the session would live on unknown to anyone: revoke it once the database answers.
  ifOutcomeUnknown(tx, () => revokeUndeliveredSession(ctx, session.id, 'creation_unacknowledged'));
  return { sessionId: session.id, userId, refreshToken, refreshExpiresAt: expiresAt, amr, created: true };
}

/**
 * Revokes a new session whose tokens never reached the client (its creation's acknowledgement or
 * its response was lost). Idempotent: an already revoked or never committed session is a no-op.
 */
export async function revokeUndeliveredSession(ctx: AppContext, sessionId: string, reason: 'creation_unacknowledged' | 'response_undelivered'): Promise<void> {
  const entries = await inTransaction(ctx, (tx) => revokeSessionRows(ctx, tx, [sessionId], reason));
  if (entries.length > 0) ctx.logger.info({ sessionId, reason }, 'revoked a session its client never received');
}

export type RotationResult =
  | { ok: true; issued: IssuedRefreshToken; user: UserWithMfa }
  | { ok: false; reason: 'no_user' }
  | { ok: false; reason: 'unknown' | 'expired' }
  /** The session is already revoked: its revocation is published again (a lost acknowledgement may have kept it from going out). */
  | { ok: false; reason: 'revoked'; sessionId: string }
  /** Its session is revoked, and every instance told, by the time this is returned. */
  | { ok: false; reason: 'reused'; revocations: RevocationMessage[] };

export async function rotateRefreshToken(ctx: AppContext, presented: string, meta: RequestMeta): Promise<RotationResult> {
  const { config } = ctx;
  const presentedHash = sha256(presented);
  const successor = hmac(ctx.keys.refreshSuccessor, presented);
  // The common case in one statement; anything else (unknown, expired, revoked, a replay) in the transaction below.
  const firstNow = new Date();
  const first = await rotateFirstUse(ctx.db, {
    presentedHash,
    successorHash: sha256(successor),
    now: firstNow,
    idleExpiry: new Date(firstNow.getTime() + config.JWT_REFRESH_TTL),
    ip: meta.ip ?? null,
  });
  if (first) {
    const { session, user, org } = first;
    if (!user) return { ok: false, reason: 'no_user' };
    const issued = { sessionId: session.id, userId: session.userId, refreshToken: successor, refreshExpiresAt: session.expiresAt, amr: session.amr, org };
    return { ok: true, issued, user };
  }
  return inTransaction(ctx, async (tx): Promise<RotationResult> => {
    const [found] = await tx.select({ sessionId: refreshTokens.sessionId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, presentedHash));
    if (!found) return { ok: false, reason: 'unknown' };

    // Lock the session first, then read the token again: concurrent refreshes queue here.
    const [session] = await tx.select().from(sessions).where(eq(sessions.id, found.sessionId)).for('update');
    const [token] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, presentedHash));
    if (!session || !token) return { ok: false, reason: 'unknown' };
    if (session.revokedAt) {
      publishAfterCommit(tx, revokedEntries(ctx, [session.id]));
      return { ok: false, reason: 'revoked', sessionId: session.id };
    }
    const now = new Date();
    // An old token's own expiry is no excuse: presented after rotation it is still a replay (below).
    if (session.absoluteExpiresAt <= now || (token.rotatedAt === null && token.expiresAt <= now)) return { ok: false, reason: 'expired' };

    const idleExpiry = new Date(Math.min(now.getTime() + config.JWT_REFRESH_TTL, session.absoluteExpiresAt.getTime()));
    // The user is read in the same transaction: once the rotation has committed, nothing left to
    // do can fail, so a committed rotation is never answered 503 (its successor would be lost).
    const succeeded = async (issued: IssuedRefreshToken): Promise<RotationResult> => {
      const user = await findUserById(tx, session.userId);
      // A lock revokes every session in its own transaction; this is the belt to those braces.
      return user && !user.lockedAt ? { ok: true, issued, user } : { ok: false, reason: 'no_user' };
    };
    const touch = () =>
      tx
        .update(sessions)
        .set({ lastActiveAt: now, expiresAt: idleExpiry, ip: meta.ip ?? session.ip })
        .where(eq(sessions.id, session.id));

    if (token.rotatedAt === null) {
      await tx.update(refreshTokens).set({ rotatedAt: now }).where(eq(refreshTokens.id, token.id));
      await tx.insert(refreshTokens).values({ sessionId: session.id, tokenHash: sha256(successor), parentId: token.id, expiresAt: idleExpiry });
      await touch();
      return succeeded({ sessionId: session.id, userId: session.userId, refreshToken: successor, refreshExpiresAt: idleExpiry, amr: session.amr });
    }

    // Presented again after rotation. Benign only when it is the direct parent of the current
    // token and within the grace window: never an older generation.
    const [child] = await tx.select().from(refreshTokens).where(eq(refreshTokens.parentId, token.id));
    const withinGrace = now.getTime() - token.rotatedAt.getTime() <= config.REFRESH_REUSE_GRACE;
    if (child && child.rotatedAt === null && withinGrace && safeEqual(child.tokenHash, sha256(successor))) {
      await touch();
      return succeeded({ sessionId: session.id, userId: session.userId, refreshToken: successor, refreshExpiresAt: child.expiresAt, amr: session.amr });
    }

    const entries = await revokeSessionRows(ctx, tx, [session.id], 'refresh_token_reused');
    await recordAudit(tx, {
      type: 'refresh.reuse_detected',
      userId: session.userId,
      actorId: null,
      meta,
      details: { sessionId: session.id, rotatedAt: token.rotatedAt.toISOString() },
    });
    return { ok: false, reason: 'reused', revocations: entries };
  });
}

/** Marks sessions revoked and records the matching access-token revocations, published once `tx` commits. */
export async function revokeSessionRows(ctx: AppContext, tx: Tx, sessionIds: string[], reason: string): Promise<RevocationMessage[]> {
  if (sessionIds.length === 0) return [];
  const revoked = await tx
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(inArray(sessions.id, sessionIds), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id, userId: sessions.userId });
  for (const row of revoked) await emitWebhookEvent(tx, { type: 'session.revoked', userId: row.userId, data: { sessionId: row.id, reason } });
  const entries = revokedEntries(
    ctx,
    revoked.map((r) => r.id),
  );
  await recordRevocations(tx, entries);
  return entries;
}

export function revokedEntries(ctx: AppContext, sessionIds: string[]): RevocationMessage[] {
  // Access tokens outlive their session's revocation by at most their lifetime (plus tolerance).
  const expiresAt = Date.now() + ctx.config.JWT_ACCESS_TTL + 5_000;
  return sessionIds.map((subject) => ({ kind: 'session' as const, subject, expiresAt }));
}

/** Revokes sessions of one user (all, or all but one) in a transaction with its audit event. */
export async function revokeUserSessions(
  ctx: AppContext,
  userId: string,
  options: {
    except?: string;
    only?: string;
    reason: string;
    audit?: { type: AuditType; actorId?: string | null; meta: RequestMeta; details?: Record<string, unknown> };
  },
): Promise<number> {
  const entries = await inTransaction(ctx, async (tx) => {
    const live = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), options.only ? eq(sessions.id, options.only) : undefined));
    const ids = live.map((s) => s.id).filter((id) => id !== options.except);
    const revoked = await revokeSessionRows(ctx, tx, ids, options.reason);
    if (options.audit && (revoked.length > 0 || !options.only)) {
      await recordAudit(tx, { type: options.audit.type, userId, actorId: options.audit.actorId, meta: options.audit.meta, details: options.audit.details });
    }
    return revoked;
  });
  return entries.length;
}

/**
 * Revokes the session a refresh token belongs to (logout). Unknown tokens are a no-op. A session
 * the database already has as revoked is published again: the first logout may have committed
 * with its acknowledgement lost (the client saw a 503 and retries), and then nothing went out.
 */
export async function revokeByRefreshToken(ctx: AppContext, presented: string, meta: RequestMeta): Promise<void> {
  const [found] = await ctx.db
    .select({ sessionId: refreshTokens.sessionId, userId: sessions.userId, revokedAt: sessions.revokedAt })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, sha256(presented)));
  if (!found) return;
  if (found.revokedAt) {
    await publishAgain(ctx, revokedEntries(ctx, [found.sessionId]));
    return;
  }
  await revokeUserSessions(ctx, found.userId, {
    only: found.sessionId,
    reason: 'logout',
    audit: { type: 'logout', meta, details: { sessionId: found.sessionId } },
  });
}

export async function listLiveSessions(db: Db, userId: string): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())))
    .orderBy(desc(sessions.lastActiveAt));
}

export async function findLiveSession(db: Db, sessionId: string): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date()), gt(sessions.absoluteExpiresAt, new Date())));
  return row;
}

/** A live session with its user, in one query: the web app's server asks this on every page view. */
export async function findLiveSessionWithUser(db: Db, sessionId: string): Promise<{ session: SessionRow; user: UserWithMfa } | undefined> {
  const now = new Date();
  const [row] = await db
    .select({ session: getTableColumns(sessions), user: withMfa })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(totpCredentials, eq(totpCredentials.userId, users.id))
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.absoluteExpiresAt, now)));
  return row;
}

export function toPublicSession(s: SessionRow, currentSessionId?: string): Session {
  return {
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastActiveAt: s.lastActiveAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
    device: s.device,
    current: s.id === currentSessionId,
  };
}
