import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { AppContext } from '../../../src/context.js';

/**
 * Makes the next transaction that runs a statement matching `pattern` commit for real and then
 * lose the acknowledgement, as when the connection breaks between PostgreSQL's COMMIT and its
 * answer. What is simulated, honestly:
 * - PostgreSQL: the COMMIT is sent and answered, then the client's socket is destroyed and the
 *   caller sees "Connection terminated unexpectedly" (and Drizzle's ROLLBACK on the dead
 *   connection fails as well), exactly what a lost answer looks like to the API.
 * - PGlite (in-process, no connection to lose): the transaction commits, then the driver throws
 *   the same error. Nothing else differs for the API.
 * Resolves `fired` once the fault has happened.
 */
export function loseNextCommitAck(ctx: AppContext, pattern: RegExp): { fired: Promise<void> } {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  const lost = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
  const client = (ctx.db as unknown as { $client: unknown }).$client;

  if (ctx.database.kind === 'postgres') {
    const pool = client as pg.Pool;
    const realConnect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    let armed = true;
    (pool as { connect: unknown }).connect = async (...args: unknown[]) => {
      if (args.length > 0) return (realConnect as (...a: unknown[]) => unknown)(...args);
      const pc = await realConnect();
      if (!armed) return pc;
      const query = pc.query.bind(pc) as (...a: unknown[]) => Promise<unknown>;
      let matched = false;
      (pc as { query: unknown }).query = (...a: unknown[]) => {
        const text = typeof a[0] === 'string' ? a[0] : ((a[0] as { text?: string })?.text ?? '');
        if (pattern.test(text)) matched = true;
        if (armed && matched && /^\s*commit\b/i.test(text)) {
          armed = false;
          pool.connect = realConnect as typeof pool.connect;
          return query(...a).then(() => {
            (pc as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
            fire();
            throw lost();
          });
        }
        return query(...a);
      };
      return pc;
    };
    return { fired };
  }

  const pglite = client as PGlite;
  const realTransaction = pglite.transaction.bind(pglite);
  pglite.transaction = (async (body: (tx: unknown) => Promise<unknown>) => {
    let matched = false;
    const result = await realTransaction((tx) =>
      body(
        new Proxy(tx, {
          get(target, prop) {
            const value = Reflect.get(target, prop, target) as unknown;
            if (typeof value !== 'function') return value;
            if (prop !== 'query' && prop !== 'exec') return value.bind(target);
            return (text: string, ...rest: unknown[]) => {
              if (pattern.test(text)) matched = true;
              return (value as (...a: unknown[]) => unknown).call(target, text, ...rest);
            };
          },
        }),
      ),
    );
    if (!matched) return result;
    pglite.transaction = realTransaction;
    fire();
    throw lost();
  }) as typeof pglite.transaction;
  return { fired };
}

/**
 * The same for a statement that commits on its own (no transaction around it: the sign-in's,
 * sessionStart.ts): the next statement matching `pattern` runs and commits for real, then its
 * answer is lost and the caller sees "Connection terminated unexpectedly". On PostgreSQL the
 * connection it ran on is closed as well, as a lost answer would leave it; on PGlite the driver
 * throws the same error. Resolves `fired` once the fault has happened.
 */
export function loseNextStatementAck(ctx: AppContext, pattern: RegExp): { fired: Promise<void> } {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  const lost = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
  const textOf = (query: unknown) => (typeof query === 'string' ? query : ((query as { text?: string } | undefined)?.text ?? ''));
  const client = (ctx.db as unknown as { $client: { query: (...a: unknown[]) => unknown } }).$client;
  const realQuery = client.query;
  client.query = function (this: unknown, ...a: unknown[]) {
    if (!pattern.test(textOf(a[0]))) return realQuery.apply(client, a);
    client.query = realQuery;
    if (ctx.database.kind === 'pglite') {
      return (realQuery.apply(client, a) as Promise<unknown>).then(() => {
        fire();
        throw lost();
      });
    }
    // On its own connection, so that the connection can be closed after the answer, as a lost one leaves it.
    const pool = client as unknown as pg.Pool;
    return pool.connect().then(async (pc) => {
      try {
        await (pc.query as (...b: unknown[]) => Promise<unknown>)(...a);
      } finally {
        (pc as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        pc.release(true);
      }
      fire();
      throw lost();
    });
  };
  return { fired };
}
