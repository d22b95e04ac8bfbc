import type { RequestHandler } from 'express';
import { ApiError } from '../../services/errors.js';

/**
 * For endpoints that act on the refresh cookie: a request that names another origin (Origin, or
 * Referer when Origin is absent) is refused. Requests naming none come from non-browser clients.
 */
export const requireAllowedOrigin = (allowedOrigins: string[]): RequestHandler => {
  const allowed = new Set(allowedOrigins);
  return (req, _res, next) => {
    const origin = req.get('origin') ?? originOf(req.get('referer'));
    if (origin === undefined || allowed.has(origin)) return next();
    next(new ApiError(403, 'CSRF_REJECTED', 'This request came from a site that is not allowed to make it.'));
  };
};

function originOf(referer: string | undefined): string | undefined {
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}
