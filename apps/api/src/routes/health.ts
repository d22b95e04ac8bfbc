import { Router } from 'express';
import type { AppContext } from '../context.js';

/** A probe's answer must come well within a second; the rest of that second is the network's. */
export const READINESS_TIMEOUT_MS = 800;

export function healthRoutes(ctx: AppContext, checks: { redis?: () => Promise<void> }): Router {
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
    const result: Record<string, 'ok' | 'unavailable'> = {};
    result.database = await withTimeout(ctx.database.ping()).then(() => 'ok' as const, () => 'unavailable' as const);
    if (checks.redis) result.redis = await withTimeout(checks.redis()).then(() => 'ok' as const, () => 'unavailable' as const);
    const ready = Object.values(result).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks: result });
  });
  return router;
}
