import { Router } from 'express';
import type { AppContext } from '../context.js';

export function healthRoutes(ctx: AppContext, checks: { redis?: () => Promise<void> }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const withTimeout = (p: Promise<void>) => Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000).unref())]);
    const result: Record<string, 'ok' | 'unavailable'> = {};
    result.database = await withTimeout(ctx.database.ping()).then(() => 'ok' as const, () => 'unavailable' as const);
    if (checks.redis) result.redis = await withTimeout(checks.redis()).then(() => 'ok' as const, () => 'unavailable' as const);
    const ready = Object.values(result).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks: result });
  });
  return router;
}
