import { Router } from 'express';
import type { AppContext } from '../context.js';
import type { RedisState } from '../realtime/redis.js';

/** A probe's answer must come well within a second; the rest of that second is the network's. */
export const READINESS_TIMEOUT_MS = 800;

/** `checks.redis` answers `degraded` (never throws, within 0.5 s) when Redis is configured but not answering. */
export function healthRoutes(ctx: AppContext, checks: { redis?: () => Promise<RedisState> }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    // Shutting down (SIGTERM): out of rotation at once, whatever the database says.
    if (ctx.lifecycle.draining) {
      res.status(503).json({ status: 'draining', checks: {} });
      return;
    }
    // Within a second even when the database is frozen (connections open, nothing answers).
    const withTimeout = (p: Promise<void>) => Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error('timeout')), READINESS_TIMEOUT_MS).unref())]);
    const result: Record<string, 'ok' | 'unavailable' | RedisState> = {};
    // Both at once, so that a frozen database and a frozen Redis together still answer within a second.
    const [database, redis] = await Promise.all([
      withTimeout(ctx.database.ping()).then(() => 'ok' as const, () => 'unavailable' as const),
      checks.redis?.(),
    ]);
    result.database = database;
    // Redis is an accelerator: without it the instance still serves (per-instance limits, events over
    // PostgreSQL), so it is reported as degraded and never takes the instance out of rotation.
    if (redis) result.redis = redis;
    const ready = result.database === 'ok';
    const status = !ready ? 'unavailable' : Object.values(result).every((v) => v === 'ok') ? 'ok' : 'degraded';
    res.status(ready ? 200 : 503).json({ status, checks: result });
  });
  return router;
}
