/**
 * Calls with the same key while one is running share its result instead of running again.
 *
 * For refreshes of one token that arrive together (several tabs, a client's retry): each would
 * otherwise hold a pool connection while it waits on the session's row lock, only to be given the
 * same successor by the grace window once the first commits. Twenty at once held every connection
 * of a pool of ten on a busy machine, and the rest answered 503 after the pool's 3 s wait. Other
 * instances still meet at the row lock (sessions.ts); this only spares the pool of one instance.
 */
export function singleFlight<T>(): (key: string, run: () => Promise<T>) => Promise<T> {
  const running = new Map<string, Promise<T>>();
  return (key, run) => {
    const current = running.get(key);
    if (current) return current;
    const started = run().finally(() => running.delete(key));
    running.set(key, started);
    return started;
  };
}
