import type { NextFunction, Request, RequestHandler } from 'express';
import type { AppContext } from '../../context.js';
import { verifyAccessToken } from '../../services/accessTokens.js';
import { API_KEY_PREFIX, authenticateApiKey } from '../../services/apiKeys.js';
import { ApiError, invalidBearer, unauthenticated } from '../../services/errors.js';

/**
 * Reads a bearer token if one came, verifies it and checks the in-memory revocation list: no
 * database query (except for a personal API key, `pk_…`, which is looked up by its hash). A refused token is remembered and thrown by requireAuth, so public routes
 * are unaffected by a stale header.
 */
export const authenticate =
  (ctx: AppContext): RequestHandler =>
  (req, _res, next) => {
    const header = req.get('authorization');
    // No header (most public and cookie requests): synchronous, no promise per request (issue 12).
    if (header === undefined) return next();
    return verifyBearer(ctx, req, header, next);
  };

async function verifyBearer(ctx: AppContext, req: Request, header: string, next: NextFunction): Promise<void> {
  const token = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i.exec(header.trim())?.[1];
  if (!token) {
    req.authError = invalidBearer('Send the access token as "Authorization: Bearer <token>".');
    return next();
  }
  try {
    // A personal API key (services/apiKeys.ts) rather than a JWT: looked up by its hash.
    const claims = token.startsWith(API_KEY_PREFIX) ? await authenticateApiKey(ctx, token) : await verifyAccessToken(ctx.tokens, token);
    if (ctx.revocations.isRevoked(claims)) throw invalidBearer('The access token has been revoked.');
    req.auth = claims;
  } catch (error) {
    if (!(error instanceof ApiError)) return next(error);
    req.authError = error;
  }
  next();
}

/** Authorization's first gate: the caller must have presented a valid access token. */
export const requireAuth: RequestHandler = (req, _res, next) => {
  if (req.auth) return next();
  next(req.authError ?? unauthenticated());
};
