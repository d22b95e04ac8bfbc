import { once } from 'node:events';
import { adminConsole as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requireSession } from '../http/middleware/authorize.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { lockAccount, unlockAccount } from '../services/accountLock.js';
import { auditLogBatches, findAdminUser, getAccount, listAccounts, listAuditLog } from '../services/adminConsole.js';
import { auditCsvHeader, auditCsvLine } from '../services/auditCsv.js';
import { notFound } from '../services/errors.js';
import { inviteUser, resendInvitation, sendPasswordResetFor } from '../services/invitations.js';
import { unlinkIdentity } from '../services/oauth/accounts.js';
import { OAuthProviders } from '../services/oauth/providers.js';
import { revokeUserSessions } from '../services/sessions.js';
import { noStore } from './admin.js';

/**
 * The admin console's endpoints (extensions, packages/contract/src/routes/adminConsole.ts): auth
 * `admin` like the contract's admin endpoints, every change audited with the admin as actor.
 */
export function adminConsoleRoutes(ctx: AppContext): Route[] {
  const guards = [noStore];
  const providers = new OAuthProviders(ctx.config);
  const adminUser = async (id: string) => {
    const user = await findAdminUser(ctx.db, id);
    if (!user) throw notFound('No such user.');
    return user;
  };
  return [
    route(endpoints.listAccounts, {
      guards,
      handler: ({ query: { query, status, page, limit } }) => listAccounts(ctx.db, { query: query || undefined, status }, { page, limit }),
    }),
    route(endpoints.getAccount, {
      guards,
      async handler({ params }) {
        const found = await getAccount(ctx.db, params.id);
        if (!found) throw notFound('No such user.');
        return found;
      },
    }),
    route(endpoints.inviteUser, {
      // It re-authenticates a person (services/invitations.ts): not for API keys or service tokens.
      guards: [...guards, requireSession],
      async handler({ auth, body, req }) {
        const id = await inviteUser(ctx, body, { actorId: auth.sub, sessionId: auth.sid, meta: requestMeta(req) });
        return { user: await adminUser(id) };
      },
    }),
    route(endpoints.lockUser, {
      guards,
      async handler({ auth, body, params, req }) {
        const { sessionsRevoked } = await lockAccount(ctx, params.id, body.reason, { actorId: auth.sub, meta: requestMeta(req) });
        return { user: await adminUser(params.id), sessionsRevoked };
      },
    }),
    route(endpoints.unlockUser, {
      guards,
      async handler({ auth, params, req }) {
        await unlockAccount(ctx, params.id, { actorId: auth.sub, meta: requestMeta(req) });
        return { user: await adminUser(params.id) };
      },
    }),
    route(endpoints.sendPasswordReset, {
      guards,
      async handler({ auth, params, req }) {
        await sendPasswordResetFor(ctx, params.id, { actorId: auth.sub, meta: requestMeta(req) });
      },
    }),
    route(endpoints.resendInvitation, {
      guards,
      async handler({ auth, params, req }) {
        await resendInvitation(ctx, params.id, { actorId: auth.sub, meta: requestMeta(req) });
      },
    }),
    route(endpoints.unlinkUserIdentity, {
      guards,
      async handler({ auth, params, req }) {
        // As the holder's own unlink: a provider no longer configured is no way in.
        const enabled = new Set(providers.list().map((p) => p.id as string));
        await unlinkIdentity(ctx, params.id, params.identityId, enabled, requestMeta(req), { actorId: auth.sub });
      },
    }),
    route(endpoints.revokeUserSession, {
      guards,
      async handler({ auth, params, req }) {
        const revoked = await revokeUserSessions(ctx, params.id, {
          only: params.sessionId,
          reason: 'revoked_by_admin',
          audit: { type: 'session.revoked', actorId: auth.sub, meta: requestMeta(req), details: { sessionId: params.sessionId } },
        });
        if (revoked === 0) throw notFound('No such session.');
      },
    }),
    route(endpoints.listAuditLog, {
      guards,
      handler: ({ query: { page, limit, ...filter } }) => listAuditLog(ctx.db, filter, { page, limit }),
    }),
    route(endpoints.exportAuditLog, {
      guards,
      // Streamed: a batch at a time, waiting for the client to take each (backpressure), stopping
      // when it goes away. Once the header line is out, a failure can only cut the file short.
      async handler({ query, req, res }) {
        res.status(200);
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', 'attachment; filename="audit-log.csv"');
        res.write(auditCsvHeader);
        try {
          for await (const batch of auditLogBatches(ctx.db, query)) {
            if (req.destroyed || res.destroyed) return;
            if (!res.write(batch.map(auditCsvLine).join(''))) await Promise.race([once(res, 'drain'), once(res, 'close')]);
          }
          res.end();
        } catch (error) {
          ctx.logger.error({ err: error }, 'audit export failed part-way: the file was cut short');
          res.destroy();
        }
      },
    }),
  ];
}
