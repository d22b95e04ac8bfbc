import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';

const LOGGER = Symbol('logger');
const CHILD = Symbol('requestLogger');
type Logged = { id: string; [LOGGER]?: Logger; [CHILD]?: Logger };

/**
 * `req.log`, the request's logger (every line carries its requestId), made when first used: most
 * requests log only their one `request` line, which needs no child logger of its own (issue 12:
 * a pino child per request was a measurable share of a trivial request's cost).
 */
Object.defineProperty(express.request, 'log', {
  configurable: true,
  get(this: Logged) {
    const base = this[LOGGER];
    if (!base) return undefined;
    return (this[CHILD] ??= base.child({ requestId: this.id }));
  },
  set(this: Logged, value: Logger) {
    this[CHILD] = value;
  },
});

/**
 * One JSON line per request with its id. Only the path is logged: never the query string, headers
 * or body, where tokens, codes and passwords travel.
 */
export const requestLogging =
  (logger: Logger): RequestHandler =>
  (req, res, next) => {
    const started = process.hrtime.bigint();
    (req as unknown as Logged)[LOGGER] = logger;
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      const outcome = { ...(res.locals.errorCode ? { code: res.locals.errorCode } : {}), ...(req.auth ? { userId: req.auth.sub } : {}) };
      const path = req.originalUrl.split('?')[0];
      logger[level]({ requestId: req.id, method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10, ...outcome }, 'request');
    });
    next();
  };
