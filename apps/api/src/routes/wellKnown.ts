import { Router } from 'express';
import type { AppContext } from '../context.js';

export function wellKnownRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/.well-known/jwks.json', async (_req, res) => {
    // Short caching: verifiers also refetch on an unknown kid, and new keys must show up soon.
    res.setHeader('Cache-Control', 'public, max-age=60');
    // A `keys` event just received: answer with the ring it announced, not the one before.
    await ctx.keyRing.settled();
    res.json(ctx.keyRing.jwks());
  });
  return router;
}
