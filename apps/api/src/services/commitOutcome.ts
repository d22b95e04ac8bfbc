import type { Logger } from 'pino';
import type { Db } from '../db/client.js';

/**
 * A transaction whose body ran to the end and which then failed (the COMMIT sent, its answer
 * lost with the connection) may or may not have committed: the client got an error, yet the
 * database may hold a logout, a role change or a new session. Such an "unknown outcome" is
 * reported here, and follow-up work runs once the database answers again: every instance
 * re-reads recent revocations, and sessions whose creation the client never learnt of are revoked.
 *
 * Installed once on the context's Db (watchCommitOutcomes), so it covers every transaction,
 * present and future, without each service having to remember it.
 */

type Task = () => Promise<void>;

/** Work registered by a transaction's body, to run only if that transaction's outcome is unknown. */
const pendingByTx = new WeakMap<object, Task[]>();

/** Inside a transaction: run `task` (once the database answers) if this transaction's COMMIT goes unanswered. */
export function ifOutcomeUnknown(tx: Db, task: Task): void {
  pendingByTx.get(tx)?.push(task);
}

/**
 * Wraps `db.transaction` so that an error after the body finished is reported with the tasks the
 * body registered and the moment the transaction began. An error before that is a plain failure:
 * without a COMMIT, PostgreSQL rolls the transaction back.
 */
export function watchCommitOutcomes(db: Db, onUnknown: (tasks: Task[], startedAt: Date) => void): void {
  const original = db.transaction.bind(db);
  db.transaction = (async (body: (tx: Db) => Promise<unknown>, config?: unknown) => {
    const tasks: Task[] = [];
    const startedAt = new Date();
    let bodyFinished = false;
    try {
      return await original(
        async (tx) => {
          pendingByTx.set(tx, tasks);
          const value = await body(tx as unknown as Db);
          bodyFinished = true;
          return value;
        },
        config as Parameters<typeof original>[1],
      );
    } catch (error) {
      if (bodyFinished) onUnknown(tasks, startedAt);
      throw error;
    }
  }) as Db['transaction'];
}

/**
 * Runs follow-up tasks until each succeeds: retried with backoff (the database is likely down
 * right now) for up to ten minutes, then given up with an error line. Each task must be idempotent.
 */
export class FollowUps {
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly logger: Logger) {}

  run(name: string, task: Task): void {
    const deadline = Date.now() + 10 * 60_000;
    const attempt = (delay: number) => {
      if (this.closed) return;
      void task().catch((error: Error) => {
        if (this.closed) return;
        if (Date.now() > deadline) {
          this.logger.error({ task: name, err: { message: error.message } }, 'follow-up after an unknown commit outcome given up');
          return;
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          attempt(Math.min(delay * 2, 5_000));
        }, delay);
        timer.unref();
        this.timers.add(timer);
      });
    };
    attempt(250);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
