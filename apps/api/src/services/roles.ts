import { eq } from 'drizzle-orm';
import type { AppContext, RequestMeta } from '../context.js';
import type { Db } from '../db/client.js';
import { projects, sessions, users, type Role } from '../db/schema.js';
import type { RevocationMessage } from '../realtime/bus.js';
import { recordAudit } from './audit.js';
import { ApiError, forbidden, notFound } from './errors.js';
import { hasPermission } from './permissions.js';
import { handOverOrganizations } from './orgs/userDeletion.js';
import { recordRevocations } from './revocations.js';
import { inTransaction, userChangedAfterCommit, type Tx } from './transaction.js';
import { findUserById, toPublicUser, type PublicUser, type UserRow } from './users.js';

/**
 * The two changes that can leave the system without an admin: changing a role and deleting a
 * user. Both lock every admin row first (always in id order, so two of them cannot deadlock), so
 * two admins demoting each other at once are serialised and the second sees the first's result.
 */

/** Who asked: an admin through the API, or `null` for the operator's CLI. */
export interface ChangeBy {
  actorId: string | null;
  meta?: RequestMeta;
  /** How the admin proved it was them, for a role with more rights (services/promotion.ts); recorded in the audit. */
  reauthenticatedBy?: string;
  /** Recorded in the audit event when the change did not come through the API. */
  via?: 'cli';
  /**
   * A person deleting their own account (services/profile.ts): lets someone who may not manage
   * users delete themself. Honoured by deleteUser only, and only when actorId is the user's own id.
   */
  self?: boolean;
}

/** What deleteUser's caller adds to its transaction. */
export interface DeleteSteps {
  /** First, with the rows locked: throw to refuse (e.g. a second factor that is wrong), and nothing changes. */
  verify?(tx: Tx): Promise<void>;
  /** Last, the user gone: e.g. queue a notice, which then goes out only if the deletion lands. */
  after?(tx: Tx, deleted: UserRow): Promise<void>;
}

const lastAdmin = () => new ApiError(409, 'LAST_ADMIN', 'This would leave no admin. Make someone else an admin first.');

/** Locks the admin rows and the target row; checks the actor still may manage users (unless acting on their own account). */
async function lockForChange(tx: Db, userId: string, actorId: string | null, ownAccount = false) {
  const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).orderBy(users.id).for('update');
  const adminIds = new Set(admins.map((a) => a.id));
  if (actorId !== null && !(ownAccount && actorId === userId) && !adminIds.has(actorId)) {
    // The token said admin, but the role was changed since (its revocation may still be on its way).
    const [actor] = await tx.select({ role: users.role }).from(users).where(eq(users.id, actorId));
    if (!actor || !hasPermission(actor.role, 'manage_users')) throw forbidden();
  }
  const [target] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (!target) throw notFound('No such user.');
  return { target, adminCount: adminIds.size };
}

/** Revocations live as long as the access tokens they refuse, plus clock tolerance. */
const revocationExpiry = (ctx: AppContext) => Date.now() + ctx.config.JWT_ACCESS_TTL + 5_000;

/** What changeRole's caller adds to its transaction. */
export interface RoleSteps {
  /** With the rows locked and the change decided, before it is written: throw to refuse; queue a mail. */
  before?(tx: Tx, target: UserRow): Promise<void>;
}

export async function changeRole(ctx: AppContext, userId: string, role: Role, by: ChangeBy, steps: RoleSteps = {}): Promise<PublicUser> {
  // The revocation refusing tokens with the old role goes out to every instance on commit.
  const user = await inTransaction(ctx, async (tx) => {
    const { target, adminCount } = await lockForChange(tx, userId, by.actorId);
    if (target.role === role) return findUserById(tx, userId);
    if (target.role === 'admin' && adminCount <= 1) throw lastAdmin();
    await steps.before?.(tx, target);

    await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId));
    userChangedAfterCommit(tx, userId);
    // Tokens that still carry the old role are refused at once; the client refreshes for the new one.
    const entries: RevocationMessage[] = [{ kind: 'role', subject: userId, role, expiresAt: revocationExpiry(ctx) }];
    await recordRevocations(tx, entries);
    await recordAudit(tx, {
      type: 'user.role_changed',
      userId,
      actorId: by.actorId,
      meta: by.meta,
      details: { from: target.role, to: role, ...(by.via && { via: by.via }), ...(by.reauthenticatedBy && { reauthenticatedBy: by.reauthenticatedBy }) },
    });
    return findUserById(tx, userId);
  });
  // The row was locked by lockForChange in the same transaction, so it is there.
  if (!user) throw new Error('changeRole: the locked user was not found');
  return toPublicUser(user);
}

/** Deletes a user with their sessions, tokens and projects (by cascade); every token is refused at once. */
export async function deleteUser(ctx: AppContext, userId: string, by: ChangeBy, steps: DeleteSteps = {}): Promise<void> {
  const self = by.self === true && by.actorId === userId;
  const via = self ? 'self' : by.via;
  await inTransaction(ctx, async (tx) => {
    const { target, adminCount } = await lockForChange(tx, userId, by.actorId, self);
    await steps.verify?.(tx);
    if (target.role === 'admin' && adminCount <= 1) throw lastAdmin();

    // One `user` entry refuses every access token of every session of theirs.
    const entries: RevocationMessage[] = [{ kind: 'user', subject: userId, expiresAt: revocationExpiry(ctx) }];
    await recordRevocations(tx, entries);
    // Explicit rather than only by cascade, so the intent reads here; the rest (refresh tokens, MFA, links) cascades.
    const removedSessions = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
    // Their organizations keep an owner and their projects (issue 16).
    await handOverOrganizations(ctx, tx, userId, by.meta);
    const removedProjects = await tx.delete(projects).where(eq(projects.ownerId, userId)).returning({ id: projects.id });
    await tx.delete(users).where(eq(users.id, userId));
    userChangedAfterCommit(tx, userId);
    await recordAudit(tx, {
      type: 'user.deleted',
      userId,
      actorId: by.actorId,
      meta: by.meta,
      // Who it was, for the record; never a secret.
      details: { email: target.email, role: target.role, projects: removedProjects.length, sessions: removedSessions.length, ...(via && { via }) },
    });
    await steps.after?.(tx, target);
  });
}
