// requireOrgPermission (issue 16): after requireAccessToken, demand that the token's active
// organization gives the caller a permission of the organization's role table (@portcullis/contract).
import { randomUUID } from 'node:crypto';
import { hasOrgPermission, type OrgPermission } from '#sdk/permissions';
import type { BearerMiddleware, BearerRequest, BearerResponse } from '#sdk/middleware';

export interface OrgPermissionOptions<R extends BearerRequest = BearerRequest> {
  /**
   * The organization the request is about (a path parameter, say): the token's active organization
   * must be this one. Without it, any active organization whose role has the permission passes.
   */
  organizationId?: (req: R) => string | undefined;
}

function forbid(res: BearerResponse, message: string): void {
  const requestId = randomUUID();
  res.statusCode = 403;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Request-Id', requestId);
  res.end(JSON.stringify({ error: { code: 'FORBIDDEN', message }, requestId }));
}

/**
 * 403 FORBIDDEN (contract error shape) unless `req.auth` (set by requireAccessToken) carries an
 * active organization (`org_id`, `org_role`) whose role has `permission`. Like requireAccessToken,
 * it trusts the token until it expires: the API refuses a removed member's token at once, a
 * verifier elsewhere within the token's lifetime (JWT_ACCESS_TTL).
 */
export function requireOrgPermission<R extends BearerRequest = BearerRequest>(
  permission: OrgPermission,
  options: OrgPermissionOptions<R> = {},
): BearerMiddleware {
  return (req, res, next) => {
    const auth = req.auth;
    if (!auth) {
      next(new Error('requireOrgPermission must run after requireAccessToken'));
      return;
    }
    if (auth.org_id === undefined) return forbid(res, 'Choose an organization first.');
    const wanted = options.organizationId?.(req as R);
    if (wanted !== undefined && wanted.toLowerCase() !== auth.org_id) return forbid(res, 'Switch to this organization first.');
    if (!hasOrgPermission(auth.org_role, permission)) return forbid(res, `Your role in this organization does not allow this (${permission}).`);
    next();
  };
}
