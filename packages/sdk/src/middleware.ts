// Express-compatible middleware that demands a valid access token. Typed structurally, so it
// works with Express 4/5, Connect and plain node:http without importing any of them.
import { randomUUID } from 'node:crypto';
import { AuthError } from '#sdk/errors';
import { hasPermission, type Permission } from '#sdk/permissions';
import type { Role } from '#sdk/types';
import type { AccessTokenClaims, Verifier } from '#sdk/verifier';

export interface BearerRequest {
  headers: { authorization?: string | undefined; 'x-request-id'?: string | string[] | undefined };
  /** Set by requireAccessToken once the token is verified. */
  auth?: AccessTokenClaims;
}

export interface BearerResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

export type NextFunction = (err?: unknown) => void;

export type BearerMiddleware = (req: BearerRequest, res: BearerResponse, next: NextFunction) => void;

/** The contract's rule for a caller's X-Request-Id: echo it only when it is safe to log. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The token from `Authorization: Bearer <token>`; never from the query string (contract). */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

function requestIdOf(req: BearerRequest): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

function reject(req: BearerRequest, res: BearerResponse, error: AuthError, withToken: boolean): void {
  const requestId = requestIdOf(req);
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Request-Id', requestId);
  // RFC 6750: a bare challenge when no token came, `invalid_token` when the token was refused.
  if (error.status === 401) res.setHeader('WWW-Authenticate', withToken ? 'Bearer error="invalid_token"' : 'Bearer');
  res.end(JSON.stringify({ error: { code: error.code, message: error.message }, requestId }));
}

/**
 * Answers 401 (contract error shape) unless the request carries a valid access token; on
 * success sets `req.auth` to the token's claims and calls next(). See verifier.ts on why a
 * revoked token still passes until it expires.
 */
export function requireAccessToken(verifier: Verifier): BearerMiddleware {
  return authenticate(verifier, () => null);
}

/**
 * As requireAccessToken, and then answers 403 FORBIDDEN unless the token's role holds every one of
 * `permissions` in the contract's role/permission table (ROLE_PERMISSIONS). The role is read from
 * the token, so a role change reaches this check when the old token expires (see verifier.ts).
 */
export function requirePermission(verifier: Verifier, ...permissions: [Permission, ...Permission[]]): BearerMiddleware {
  return authenticate(verifier, (claims) =>
    permissions.every((permission) => hasPermission(claims.role as Role, permission))
      ? null
      : new AuthError({ status: 403, code: 'FORBIDDEN', message: 'You do not have permission to do this' }),
  );
}

/** Verifies the bearer token, then lets `refuse` turn the claims into a refusal (null: allowed). */
function authenticate(verifier: Verifier, refuse: (claims: AccessTokenClaims) => AuthError | null): BearerMiddleware {
  return (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (token === null) {
      reject(req, res, new AuthError({ status: 401, code: 'UNAUTHENTICATED', message: 'An access token is required' }), false);
      return;
    }
    verifier.verify(token).then(
      (claims) => {
        const refusal = refuse(claims);
        if (refusal) {
          reject(req, res, refusal, true);
          return;
        }
        req.auth = claims;
        next();
      },
      (err: unknown) => {
        if (err instanceof AuthError) reject(req, res, err, true);
        else next(err);
      },
    );
  };
}
