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

const STARTED = Symbol('started');
type Finished = express.Response & { [STARTED]?: bigint; [LOGGER]?: Logger };

/**
 * The `finish` listener of every response: one function for all, reading the request from the
 * response, rather than a closure made per request (issue 12: per-request allocation).
 */
function logFinished(this: Finished): void {
  const logger = this[LOGGER];
  const started = this[STARTED];
  if (!logger || started === undefined) return;
  const req = this.req;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const level = this.statusCode >= 500 ? 'error' : 'info';
  const line: Record<string, unknown> = {
    requestId: req.id,
    method: req.method,
    path: req.originalUrl.split('?')[0],
    status: this.statusCode,
    ms: Math.round(ms * 10) / 10,
  };
  if (this.locals.errorCode) line.code = this.locals.errorCode;
  if (req.auth) line.userId = req.auth.sub;
  logger[level](line, 'request');
}

/**
 * One JSON line per request with its id. Only the path is logged: never the query string, headers
 * or body, where tokens, codes and passwords travel.
 */
export const requestLogging =
  (logger: Logger): RequestHandler =>
  (req, res, next) => {
    (res as Finished)[STARTED] = process.hrtime.bigint();
    (res as Finished)[LOGGER] = logger;
    (req as unknown as Logged)[LOGGER] = logger;
    res.on('finish', logFinished);
    next();
  };
