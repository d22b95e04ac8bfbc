import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { sessions, totpCredentials, users } from '../db/schema.js';
import type { InvalidationMessage, RevocationMessage } from '../realtime/bus.js';
import { ifOutcomeUnknown } from './commitOutcome.js';

/**
 * Effects after commit. A change that queues mail or revokes tokens has work to do outside the
 * database once it has committed, and only then: wake the mail sender, and tell every instance of
 * the revocations (a revoked token must be refused at once everywhere, not at the next reload).
 * Forgetting either is silent, so no service does it by hand: the functions that queue mail
 * (services/mail.ts) or write revocation rows (services/revocations.ts) take a `Tx`, which only
 * inTransaction opens, and record the effect on it; inTransaction runs what was recorded after
 * the COMMIT and before it returns (so a response goes out only once every instance was told).
 * A transaction that rolls back runs nothing.
 *
 * The third effect is the identity cache's (services/identityCache.ts): a transaction that wrote a
 * user, an MFA credential or a session's liveness drops the cached copies on every instance. The
 * writes are seen here (the Tx's insert/update/delete on those tables), so a service that forgets
 * to name what it changed (userChangedAfterCommit, or the revocations it records) cannot leave a
 * stale copy: the commit then drops every cached entry instead, slower but never wrong.
 *
 * A COMMIT whose answer was lost (services/commitOutcome.ts) throws here like a rollback: the
 * revocations it may hold are republished from the table by watchCommitOutcomes's follow-up, and
 * its mail is kicked (below) once the database answers; the sender's own timer is the backstop.
 */

const afterCommit: unique symbol = Symbol('afterCommit');

interface Effects {
  mail: boolean;
  /** A webhook event was written to the outbox (services/webhooks/outbox.ts). */
  webhooks: boolean;
  revocations: RevocationMessage[];
  /** Users whose public record the transaction changed, as its service named them. */
  users: Set<string>;
  /** Writes seen on the tables the identity cache copies (see watchWrites). */
  wroteUsers: boolean;
  wroteSessions: boolean;
}

/** A transaction opened by inTransaction: the only kind in which mail can be queued or tokens revoked. */
export type Tx = Db & { readonly [afterCommit]: Effects };

export type EffectsContext = Pick<AppContext, 'db' | 'mailer' | 'publishRevocations' | 'publishInvalidations'> & Partial<Pick<AppContext, 'webhooks'>>;

/** Runs `body` in a transaction, then, once it has committed, the effects it recorded. */
export async function inTransaction<T>(ctx: EffectsContext, body: (tx: Tx) => Promise<T>): Promise<T> {
  const effects: Effects = { mail: false, webhooks: false, revocations: [], users: new Set(), wroteUsers: false, wroteSessions: false };
  const value = await ctx.db.transaction(async (raw) => {
    // The drizzle transaction object lives as long as this transaction: the effects ride on it.
    const tx = Object.assign(watchWrites(raw as unknown as Db, effects), { [afterCommit]: effects }) as Tx;
    const result = await body(tx);
    if (effects.mail) ifOutcomeUnknown(tx, async () => ctx.mailer.kick());
    return result;
  });
  await runEffects(ctx, effects);
  return value;
}

/**
 * For a statement that commits on its own, outside any transaction (sessionStart.ts: the sign-in's
 * one statement): what it wrote wakes the senders as a transaction's writes do once it commits.
 */
export async function afterStatementCommitted(ctx: EffectsContext, wrote: { mail: boolean; webhooks: boolean }): Promise<void> {
  await runEffects(ctx, { ...wrote, revocations: [], users: new Set(), wroteUsers: false, wroteSessions: false });
}

async function runEffects(ctx: EffectsContext, effects: Effects): Promise<void> {
  try {
    // Both go out at once: a revocation also drops the cached copies it names (identityCache.ts).
    const invalidation = invalidationOf(effects);
    await Promise.all([
      effects.revocations.length > 0 ? ctx.publishRevocations(effects.revocations) : undefined,
      invalidation ? ctx.publishInvalidations(invalidation) : undefined,
    ]);
  } finally {
    if (effects.mail) ctx.mailer.kick();
    if (effects.webhooks) ctx.webhooks?.kick();
  }
}

/**
 * What the identity cache must drop after this commit: the users the service named; and when it
 * wrote a table the cache copies without naming anything that covers the write, everything.
 */
function invalidationOf(effects: Effects): Omit<InvalidationMessage, 'type'> | undefined {
  const revokedUsers = effects.revocations.some((e) => e.kind !== 'session');
  const revokedSessions = effects.revocations.length > 0;
  if ((effects.wroteUsers && effects.users.size === 0 && !revokedUsers) || (effects.wroteSessions && !revokedSessions && effects.users.size === 0)) {
    return { all: true };
  }
  return effects.users.size > 0 ? { users: [...effects.users] } : undefined;
}

/**
 * Columns no cached copy holds, per table the identity cache copies: a write that sets only these
 * changes nothing it serves. Any other column (one added later too) counts as a change. A session's
 * `expiresAt` only ever moves forward (a refresh), so a cached copy errs towards asking again.
 */
const UNCACHED_COLUMNS = new Map<unknown, Set<string>>([
  // lastSignInAt: written by every sign-in (sessions.ts), shown only by the admin console, which reads the database.
  [users, new Set(['passwordHash', 'secondFactorFailures', 'updatedAt', 'lastSignInAt'])],
  [totpCredentials, new Set(['secretEncrypted', 'lastUsedStep', 'createdAt'])],
  [sessions, new Set(['lastActiveAt', 'expiresAt', 'ip'])],
]);

/**
 * Notes the writes to users, totp_credentials (mfaEnabled) and sessions that change a cached copy:
 * every delete, an update or insert setting a column the copies hold (a new session or user has no
 * copy yet, a refresh moves only activity columns).
 */
function watchWrites(tx: Db, effects: Effects): Db {
  const { insert, update, delete: remove } = tx;
  const note = (table: unknown) => {
    if (table === sessions) effects.wroteSessions = true;
    else effects.wroteUsers = true;
  };
  const changes = (table: unknown, values: object) => {
    const uncached = UNCACHED_COLUMNS.get(table);
    return uncached !== undefined && Object.keys(values).some((column) => !uncached.has(column));
  };
  /** Wraps a builder's `set` or `values` to look at the columns it is given. */
  const inspect = <B extends object>(table: unknown, builder: B, method: 'set' | 'values', creates: boolean): B => {
    if (!UNCACHED_COLUMNS.has(table)) return builder;
    const original = (builder as Record<string, ((values: unknown) => unknown) | undefined>)[method];
    if (!original) throw new Error(`inTransaction: a ${method === 'set' ? 'update' : 'insert'} builder without ${method}()`);
    return Object.assign(builder, {
      [method]: (values: object | object[]) => {
        // A created user or session has no cached copy; a created MFA credential may be enabled.
        const relevant = !creates || table === totpCredentials;
        if (relevant && (Array.isArray(values) ? values : [values]).some((v) => changes(table, v))) note(table);
        return original.call(builder, values);
      },
    });
  };
  return Object.assign(tx, {
    insert: ((table: Parameters<Db['insert']>[0]) => inspect(table, insert.call(tx, table), 'values', true)) as Db['insert'],
    update: ((table: Parameters<Db['update']>[0]) => inspect(table, update.call(tx, table), 'set', false)) as Db['update'],
    delete: ((table: Parameters<Db['delete']>[0]) => {
      if (UNCACHED_COLUMNS.has(table)) note(table);
      return remove.call(tx, table);
    }) as Db['delete'],
  });
}

/**
 * Drops the cached public record of `userId` on every instance after `tx` commits: called by every
 * service that changes what `GET /api/auth/me` shows (name, email, verification, role, MFA).
 */
export function userChangedAfterCommit(tx: Tx, userId: string): void {
  tx[afterCommit].users.add(userId);
}

/** Wakes the mail sender after `tx` commits (services/mail.ts calls it for every queued message). */
export function mailAfterCommit(tx: Tx): void {
  tx[afterCommit].mail = true;
}

/**
 * Wakes the webhook sender after `tx` commits (the webhook outbox calls it for every event it
 * writes). Only a Tx can write an event (services/webhooks/outbox.ts, services/audit.ts), so no
 * event waits for the sender's own timer.
 */
export function webhooksAfterCommit(tx: Tx): void {
  tx[afterCommit].webhooks = true;
}

/** Publishes `entries` to every instance after `tx` commits (recordRevocations calls it for the rows it writes). */
export function publishAfterCommit(tx: Tx, entries: RevocationMessage[]): void {
  tx[afterCommit].revocations.push(...entries);
}

/**
 * Publishes revocations a transaction committed earlier, again: a client retrying after a lost
 * acknowledgement finds the session already revoked, and the first publish may never have gone out.
 */
export async function publishAgain(ctx: EffectsContext, entries: RevocationMessage[]): Promise<void> {
  if (entries.length > 0) await ctx.publishRevocations(entries);
}
