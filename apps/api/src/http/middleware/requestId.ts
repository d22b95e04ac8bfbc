import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** The caller's own id when it is safe to echo (it ends up in logs and headers), else a fresh UUID. */
const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

export const requestId = (): RequestHandler => (req, res, next) => {
  const offered = req.get('x-request-id');
  req.id = offered && SAFE_ID.test(offered) ? offered : randomUUID();
  res.setHeader('X-Request-Id', req.id);
  next();
};
