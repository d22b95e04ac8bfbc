import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * One JSON line per request with its id. Only the path is logged: never the query string, headers
 * or body, where tokens, codes and passwords travel.
 */
export const requestLogging =
  (logger: Logger): RequestHandler =>
  (req, res, next) => {
    const started = process.hrtime.bigint();
    req.log = logger.child({ requestId: req.id });
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      const outcome = { ...(res.locals.errorCode ? { code: res.locals.errorCode } : {}), ...(req.auth ? { userId: req.auth.sub } : {}) };
      req.log[level]({ method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10, ...outcome }, 'request');
    });
    next();
  };
