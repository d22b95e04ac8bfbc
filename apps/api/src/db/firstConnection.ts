import type pg from 'pg';

/**
 * How long a start keeps trying to reach PostgreSQL. A running API gives up on a connection after
 * the pool's 3 s and answers 503 (client.ts); a start has no one waiting for an answer, and giving
 * up there means exiting: a database still starting up beside the API, or a busy machine that
 * took over 3 s to fork a backend (seen at a load average of 11), would stop the API for good.
 */
export const STARTUP_CONNECT_MS = 30_000;

/** Refusals that a moment may cure: no answer yet, not accepting yet, or no slot free. */
export function isTransientConnectError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EAI_AGAIN') return true;
  // cannot_connect_now (starting up, shutting down, in recovery), too_many_connections.
  if (code === '57P03' || code === '53300') return true;
  return /timeout|terminated unexpectedly/i.test(message ?? '');
}

/**
 * The start-up's first connection, retried with a growing pause while the failure is transient and
 * time is left. A wrong password or a missing database fails at once: waiting would not cure it.
 */
export async function firstConnection(pool: pg.Pool, limitMs = STARTUP_CONNECT_MS): Promise<pg.PoolClient> {
  const deadline = Date.now() + limitMs;
  for (let pause = 250; ; pause = Math.min(pause * 2, 2_000)) {
    try {
      return await pool.connect();
    } catch (error) {
      if (!isTransientConnectError(error) || Date.now() + pause >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
