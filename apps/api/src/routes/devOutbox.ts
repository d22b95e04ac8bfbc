import type { RequestHandler } from 'express';
import { system as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { isLoopbackClient } from '../http/loopback.js';
import { route, type Route } from '../http/route.js';
import { devOutboxEnabled, listOutbox } from '../services/mail.js';

/**
 * `GET /api/dev/outbox`: every message the API sent, newest first, so sign-up and reset work
 * without a mail server. The messages hold reset and verification links, which are credentials,
 * so the route exists only when devOutboxEnabled (services/mail.ts: not production, no SMTP_URL;
 * otherwise this returns no route at all, so it is neither mounted nor in the OpenAPI document)
 * and answers only a client on this machine (http/loopback.ts). Anyone else gets the same 404 as
 * for a route that does not exist.
 *
 * A route() like any other: its auth is `none`, so the loopback guard is the first check of its
 * chain, before anything is read, exactly as the router of its own it used to be.
 */
export function devOutboxRoutes(ctx: AppContext): Route[] {
  if (!devOutboxEnabled(ctx.config)) return [];
  const loopbackOnly: RequestHandler = (req, _res, next) => {
    if (isLoopbackClient(req)) return next();
    ctx.logger.warn({ ip: req.ip, remoteAddress: req.socket.remoteAddress }, 'dev outbox: refused a client that is not on this machine');
    next('route'); // on to the app's 404, as if the route were not there
  };
  return [
    route(endpoints.devOutbox, {
      guards: [loopbackOnly],
      handler: async () => ({ messages: await listOutbox(ctx.db, ctx.keys.encryption) }),
    }),
  ];
}
