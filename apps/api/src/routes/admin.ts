import { Router, type RequestHandler } from 'express';
import { admin as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requireManageUsers } from '../http/middleware/authorize.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { getUserWithSessions, listAuditEvents, listUsers } from '../services/admin.js';
import { notFound } from '../services/errors.js';
import { resetMfa } from '../services/mfaReset.js';
import { changeRoleAsAdmin } from '../services/promotion.js';
import { deleteUser } from '../services/roles.js';
import { revokeUserSessions } from '../services/sessions.js';
import { findUserById, toPublicUser } from '../services/users.js';

/**
 * `/api/admin`: user management and the audit log. Every endpoint is auth `admin`, which route()
 * gates with requireManageUsers: 401 without a valid token, 403 without `manage_users` (or, with
 * ADMIN_REQUIRE_MFA, without a second factor in this session's sign-in). Every change is audited
 * with its actor.
 */

/**
 * Set once the caller is known to be an admin and before the id or body is looked at, so that the
 * 404 of a malformed id and the 400 of a bad body are `no-store` too, as they always were.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

export function adminRoutes(ctx: AppContext): Route[] {
  const guards = [noStore];
  return [
    route(endpoints.listUsers, {
      guards,
      handler: ({ query: { query, page, limit } }) => listUsers(ctx.db, { query: query || undefined }, { page, limit }),
    }),
    route(endpoints.getUser, {
      guards,
      async handler({ params }) {
        const found = await getUserWithSessions(ctx.db, params.id);
        if (!found) throw notFound('No such user.');
        return found;
      },
    }),
    route(endpoints.changeRole, {
      guards,
      handler: async ({ auth, body, params, req }) => ({
        user: await changeRoleAsAdmin(ctx, params.id, body.role, body.password, { auth, meta: requestMeta(req) }),
      }),
    }),
    route(endpoints.deleteUser, {
      guards,
      async handler({ auth, params, req }) {
        await deleteUser(ctx, params.id, { actorId: auth.sub, meta: requestMeta(req) });
      },
    }),
    route(endpoints.revokeSessions, {
      guards,
      async handler({ auth, params, req }) {
        const id = params.id;
        if (!(await findUserById(ctx.db, id))) throw notFound('No such user.');
        await revokeUserSessions(ctx, id, { reason: 'revoked_by_admin', audit: { type: 'user.sessions_revoked', actorId: auth.sub, meta: requestMeta(req) } });
      },
    }),
    // An extension: the second factor's recovery, see services/mfaReset.ts.
    route(endpoints.resetMfa, {
      guards,
      async handler({ auth, params, req }) {
        const id = params.id;
        const { sessionsRevoked } = await resetMfa(ctx, id, { actorId: auth.sub, via: 'api', meta: requestMeta(req) });
        const user = await findUserById(ctx.db, id);
        if (!user) throw notFound('No such user.');
        return { user: toPublicUser(user), sessionsRevoked };
      },
    }),
    route(endpoints.listAuditEvents, {
      guards,
      handler: ({ query: { userId, actorId, type, page, limit } }) => listAuditEvents(ctx.db, { userId, actorId, type }, { page, limit }),
    }),
  ];
}

/**
 * Mounted at /api/admin after every route: any other path or method below it still asks for an
 * admin first (401/403), and only an admin learns it is a 404, as before the routes were
 * mounted one by one.
 */
export function adminFallback(ctx: AppContext): Router {
  const router = Router();
  router.use(requireManageUsers(ctx.config), noStore);
  return router;
}
