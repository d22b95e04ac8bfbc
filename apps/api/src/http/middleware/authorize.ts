import { fields } from '@portcullis/contract';
import type { Request, RequestHandler } from 'express';
import type { Config } from '../../config.js';
import { forbidden, notFound, unauthenticated } from '../../services/errors.js';
import { hasPermission, mayAccess, type Permission } from '../../services/permissions.js';

/** A personal API key acts only within its own permissions (services/apiKeys.ts), beside its owner's role. */
const keyAllows = (auth: NonNullable<Request['auth']>, permission: Permission) => !auth.apiKey || auth.apiKey.permissions.includes(permission);

/**
 * `bearer` endpoints that manage the account itself (password, MFA, sessions, keys) need a signed-in
 * session: a personal API key or a service account's token gets 403 unless the endpoint says
 * `machineCallers: true`.
 */
export const requireSession: RequestHandler = (req, _res, next) => {
  const auth = req.auth;
  if (!auth) return next(req.authError ?? unauthenticated());
  if (auth.apiKey || auth.client_id !== undefined) return next(forbidden('API keys and service tokens cannot do this: sign in.'));
  next();
};

/** An endpoint open to machine callers that needs `permission` of a personal key (the endpoint's `machineCallers`). */
export const requireKeyPermission =
  (permission: Permission): RequestHandler =>
  (req, _res, next) => {
    if (req.auth && !keyAllows(req.auth, permission)) return next(forbidden(`This API key does not have the ${permission} permission.`));
    next();
  };

/** 401 without a valid token, 403 FORBIDDEN when the token's role (or API key) lacks any of the permissions. */
export const requirePermission =
  (...permissions: Permission[]): RequestHandler =>
  (req, _res, next) => {
    const auth = req.auth;
    if (!auth) return next(req.authError ?? unauthenticated());
    if (!permissions.every((p) => hasPermission(auth.role, p) && keyAllows(auth, p))) return next(forbidden());
    next();
  };

export const ADMIN_MFA_MESSAGE = 'Sign in with two-step verification to use admin features.';

/**
 * `manage_users` (the admin features). With ADMIN_REQUIRE_MFA also a session signed in with a
 * second factor, read from the token's `amr`: a password-only admin session gets 403 FORBIDDEN.
 */
export const requireManageUsers = (config: Pick<Config, 'ADMIN_REQUIRE_MFA'>): RequestHandler => {
  const hasRole = requirePermission('manage_users');
  return (req, res, next) =>
    hasRole(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      // hasRole passed, so req.auth is set; the check keeps that visible to the compiler.
      if (!req.auth) return next(unauthenticated());
      if (config.ADMIN_REQUIRE_MFA && !req.auth.amr?.includes('mfa')) return next(forbidden(ADMIN_MFA_MESSAGE));
      next();
    });
};

/** The `:id` route parameter when it is a UUID (the contract's rule; lower-cased); anything else is simply not found. */
function idParam(req: Request, name = 'id'): string {
  const id = String(req.params[name] ?? '');
  if (!fields.isUuid(id)) throw notFound();
  return id.toLowerCase();
}

/**
 * Ownership check for one resource: the owner may do anything; others need `permission` with a
 * reach over everyone's resources. Anyone else gets `404`, never `403`, so that ids of other
 * people's resources cannot be probed. `ownerOf` returns undefined when the resource is unknown.
 */
export const requireOwnerOr =
  (permission: Permission, ownerOf: (id: string) => Promise<string | undefined>): RequestHandler =>
  async (req, _res, next) => {
    if (!req.auth) return next(req.authError ?? unauthenticated());
    const ownerId = await ownerOf(idParam(req));
    if (ownerId === undefined || !mayAccess({ id: req.auth.sub, role: req.auth.role }, ownerId, permission)) return next(notFound());
    if (!keyAllows(req.auth, permission)) return next(forbidden());
    next();
  };
