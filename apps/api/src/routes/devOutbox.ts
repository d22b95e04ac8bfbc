import { Router } from 'express';
import type { AppContext } from '../context.js';
import { isLoopbackClient } from '../http/loopback.js';
import { listOutbox } from '../services/mail.js';

/**
 * `GET /api/dev/outbox`: every message the API sent, newest first, so sign-up and reset work
 * without a mail server. The messages hold reset and verification links, which are credentials,
 * so the route exists only when devOutboxEnabled (services/mail.ts: not production, no SMTP_URL;
 * app.ts does not mount it otherwise) and answers only a client on this machine
 * (http/loopback.ts). Anyone else gets the same 404 as for a route that does not exist.
 */
export function devOutboxRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use((req, _res, next) => {
    if (isLoopbackClient(req)) return next();
    ctx.logger.warn({ ip: req.ip, remoteAddress: req.socket.remoteAddress }, 'dev outbox: refused a client that is not on this machine');
    next('router'); // on to the app's 404, as if the route were not there
  });
  router.get('/outbox', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ messages: await listOutbox(ctx.db, ctx.keys.encryption) });
  });
  return router;
}
