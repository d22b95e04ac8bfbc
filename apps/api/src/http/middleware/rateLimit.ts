import type { NextFunction, RequestHandler } from 'express';
import type { AppContext } from '../../context.js';
import type { AddressLimit } from '../../services/rateLimits.js';
import type { Route } from '../route.js';

/**
 * Per-address request limits, taken before any body is read so that a flood costs the server
 * as little as possible. Per-account limits need the body and live in the services (login,
 * password-forgot, verify-resend). The address is `req.ip`: the socket's, unless TRUST_PROXY
 * names the proxy it came through.
 */
/** Routes not yet defined with route() (http/route.ts); those name their limit in their endpoint. */
const LEGACY_LIMITED: Record<string, AddressLimit> = {};

/** `METHOD /path` → limit, from the endpoint definitions. Limited paths are literal (no parameters). */
function limitTable(routes: Route[]): Record<string, AddressLimit> {
  const table: Record<string, AddressLimit> = { ...LEGACY_LIMITED };
  for (const { endpoint } of routes) {
    if (!endpoint.rateLimit) continue;
    if (endpoint.path.includes(':')) throw new Error(`${endpoint.path}: a per-address limit needs a literal path`);
    table[`${endpoint.method.toUpperCase()} ${endpoint.path.toLowerCase()}`] = endpoint.rateLimit;
  }
  return table;
}

/** The limited path: one counter taken, before any body is read. */
async function consume(ctx: AppContext, kind: AddressLimit, ip: string | null, next: NextFunction): Promise<void> {
  try {
    await ctx.rateLimits.consumeAddress(kind, ip);
    next();
  } catch (error) {
    next(error);
  }
}

export const rateLimit = (ctx: AppContext, routes: Route[]): RequestHandler => {
  const LIMITED = limitTable(routes);
  const LIMITED_METHODS = new Set(Object.keys(LIMITED).map((key) => key.slice(0, key.indexOf(' '))));
  return (req, _res, next) => {
    // Most requests use a method no limit names: they skip building the key, and every unlimited
    // request stays synchronous (no promise per request; issue 12, per-request work).
    if (!LIMITED_METHODS.has(req.method)) return next();
    // Express matches routes case-insensitively and with a trailing slash, so the key must too.
    const kind = LIMITED[`${req.method} ${req.path.toLowerCase().replace(/\/+$/, '')}`];
    if (!kind) return next();
    return consume(ctx, kind, req.ip ?? null, next);
  };
};
