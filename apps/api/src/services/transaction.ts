import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import type { RevocationMessage } from '../realtime/bus.js';
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
}

/** A transaction opened by inTransaction: the only kind in which mail can be queued or tokens revoked. */
export type Tx = Db & { readonly [afterCommit]: Effects };

export type EffectsContext = Pick<AppContext, 'db' | 'mailer' | 'publishRevocations'> & Partial<Pick<AppContext, 'webhooks'>>;

/** Runs `body` in a transaction, then, once it has committed, the effects it recorded. */
export async function inTransaction<T>(ctx: EffectsContext, body: (tx: Tx) => Promise<T>): Promise<T> {
  const effects: Effects = { mail: false, webhooks: false, revocations: [] };
  const value = await ctx.db.transaction(async (raw) => {
    // The drizzle transaction object lives as long as this transaction: the effects ride on it.
    const tx = Object.assign(raw as unknown as Db, { [afterCommit]: effects }) as Tx;
    const result = await body(tx);
    if (effects.mail) ifOutcomeUnknown(tx, async () => ctx.mailer.kick());
    return result;
  });
  await runEffects(ctx, effects);
  return value;
}

async function runEffects(ctx: EffectsContext, effects: Effects): Promise<void> {
  try {
    if (effects.revocations.length > 0) await ctx.publishRevocations(effects.revocations);
  } finally {
    if (effects.mail) ctx.mailer.kick();
    if (effects.webhooks) ctx.webhooks?.kick();
  }
}

/** Wakes the mail sender after `tx` commits (services/mail.ts calls it for every queued message). */
export function mailAfterCommit(tx: Tx): void {
  tx[afterCommit].mail = true;
}

/**
 * Wakes the webhook sender after the transaction commits, when `db` is one opened by inTransaction;
 * in any other transaction the sender's own timer picks the event up (within WEBHOOK_RETRY_BASE, at most 5 s).
 */
export function webhooksAfterCommit(db: Db): void {
  const effects = (db as Partial<Tx>)[afterCommit];
  if (effects) effects.webhooks = true;
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
