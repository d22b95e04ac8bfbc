import { Router } from 'express';
import type { AppContext } from '../context.js';
import { listOutbox } from '../services/mail.js';

/**
 * `GET /api/dev/outbox`: every message the API sent, newest first, so sign-up and reset work
 * without a mail server. app.ts mounts this only outside production: there the route does not exist.
 */
export function devOutboxRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/outbox', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ messages: await listOutbox(ctx.db) });
  });
  return router;
}
