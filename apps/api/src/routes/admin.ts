import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { ROLES } from '../db/schema.js';
import { idParam, requireManageUsers } from '../http/middleware/authorize.js';
import { validateBody } from '../http/middleware/validate.js';
import { pagination, parseQuery } from '../http/query.js';
import { requestMeta } from '../http/requestMeta.js';
import { getUserWithSessions, listAuditEvents, listUsers } from '../services/admin.js';
import { notFound } from '../services/errors.js';
import { resetMfa } from '../services/mfaReset.js';
import { changeRole, deleteUser } from '../services/roles.js';
import { revokeUserSessions } from '../services/sessions.js';
import { findUserById, toPublicUser } from '../services/users.js';

/** `/api/admin`: user management and the audit log, for roles with `manage_users`. Every change is audited with its actor. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidFilter = (name: string) => z.string().regex(UUID, `${name} must be a user id (UUID).`).transform((v) => v.toLowerCase()).optional();

const usersQuery = z.object({ query: z.string().trim().max(200, 'query must be at most 200 characters.').optional(), ...pagination });
const auditQuery = z.object({
  userId: uuidFilter('userId'),
  actorId: uuidFilter('actorId'),
  type: z.string().regex(/^[a-z_.]{1,64}$/, 'type must be an event type such as user.role_changed.').optional(),
  ...pagination,
});
const roleBody = z.object({ role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}.` }) });

export function adminRoutes(ctx: AppContext): Router {
  const router = Router();
  // Every route below needs `manage_users`: 401 without a valid token, 403 without the permission
  // (or, with ADMIN_REQUIRE_MFA, without a second factor in this session's sign-in).
  router.use(requireManageUsers(ctx.config));
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // A malformed id is an unknown user, before any body is looked at.
  router.param('id', (req, _res, next) => next(UUID.test(String(req.params.id)) ? undefined : notFound('No such user.')));

  router.get('/users', async (req, res) => {
    const { query, page, limit } = parseQuery(req, usersQuery);
    res.json({ ...(await listUsers(ctx.db, { query: query || undefined }, { page, limit })), page, limit });
  });

  router.get('/users/:id', async (req, res) => {
    const found = await getUserWithSessions(ctx.db, idParam(req));
    if (!found) throw notFound('No such user.');
    res.json(found);
  });

  router.patch('/users/:id', validateBody(roleBody), async (req, res) => {
    const user = await changeRole(ctx, idParam(req), req.body.role, { actorId: req.auth!.sub, meta: requestMeta(req) });
    res.json({ user });
  });

  router.delete('/users/:id', async (req, res) => {
    await deleteUser(ctx, idParam(req), { actorId: req.auth!.sub, meta: requestMeta(req) });
    res.status(204).end();
  });

  router.post('/users/:id/sessions/revoke', async (req, res) => {
    const id = idParam(req);
    if (!(await findUserById(ctx.db, id))) throw notFound('No such user.');
    await revokeUserSessions(ctx, id, { reason: 'revoked_by_admin', audit: { type: 'user.sessions_revoked', actorId: req.auth!.sub, meta: requestMeta(req) } });
    res.status(204).end();
  });

  // Not in the contract (openapi/admin.ts): the second factor's recovery, see services/mfaReset.ts.
  router.post('/users/:id/mfa/reset', async (req, res) => {
    const id = idParam(req);
    const { sessionsRevoked } = await resetMfa(ctx, id, { actorId: req.auth!.sub, via: 'api', meta: requestMeta(req) });
    const user = await findUserById(ctx.db, id);
    if (!user) throw notFound('No such user.');
    res.json({ user: toPublicUser(user), sessionsRevoked });
  });

  router.get('/audit-events', async (req, res) => {
    const { userId, actorId, type, page, limit } = parseQuery(req, auditQuery);
    res.json({ ...(await listAuditEvents(ctx.db, { userId, actorId, type }, { page, limit })), page, limit });
  });

  return router;
}
