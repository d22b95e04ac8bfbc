import type { RequestHandler } from 'express';
import { ApiError } from '../../services/errors.js';

/**
 * For endpoints that act on the refresh cookie: a request that names another origin (Origin, or
 * Referer when Origin is absent) is refused. Requests naming none come from non-browser clients.
 *
 * The refusal names the origin it refused and the setting that lists the allowed ones: the
 * likeliest cause of a refusal a person actually sees is a deployment opened at an origin the
 * operator did not list (a second host name, http instead of https), and the message is what
 * they will find in the browser's network panel. The origin is the browser's own, so naming it
 * tells a hostile page nothing new.
 */
export const requireAllowedOrigin = (allowedOrigins: string[]): RequestHandler => {
  const allowed = new Set(allowedOrigins);
  return (req, _res, next) => {
    const origin = req.get('origin') ?? originOf(req.get('referer'));
    if (origin === undefined || allowed.has(origin)) return next();
    next(new ApiError(403, 'CSRF_REJECTED', refusalMessage(origin)));
  };
};

const MAX_SHOWN = 200;

function refusalMessage(origin: string): string {
  const shown = JSON.stringify(origin.length > MAX_SHOWN ? `${origin.slice(0, MAX_SHOWN)}…` : origin);
  return (
    `This request came from the origin ${shown}, which is not allowed to make it. ` +
    'If that is where your web app is served, add the origin to CORS_ORIGINS (by default it is the origin of WEB_URL).'
  );
}

function originOf(referer: string | undefined): string | undefined {
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}
