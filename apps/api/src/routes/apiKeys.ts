import { apiKeys as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requireSession } from '../http/middleware/authorize.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/apiKeys.js';
import { ApiError } from '../services/errors.js';
import { createServiceAccount, deleteServiceAccount, issueServiceToken, listServiceAccounts } from '../services/serviceAccounts.js';

/** Personal API keys (settings), service accounts (admin) and the client credentials grant: an extension, issue 15. */
export function apiKeyRoutes(ctx: AppContext): Route[] {
  return [
    route(endpoints.listApiKeys, { handler: async ({ auth }) => ({ apiKeys: await listApiKeys(ctx, auth.sub) }) }),
    route(endpoints.createApiKey, {
      handler: ({ auth, body, req }) => createApiKey(ctx, { userId: auth.sub, sessionId: auth.sid }, body, requestMeta(req)),
    }),
    route(endpoints.revokeApiKey, {
      async handler({ auth, params, req }) {
        await revokeApiKey(ctx, auth.sub, params.id, requestMeta(req));
      },
    }),
    route(endpoints.listServiceAccounts, { handler: async () => ({ serviceAccounts: await listServiceAccounts(ctx) }) }),
    route(endpoints.createServiceAccount, {
      // It re-authenticates a person (services/serviceAccounts.ts): a key or a service token cannot mint another credential.
      guards: [requireSession],
      handler: ({ auth, body, req }) => createServiceAccount(ctx, body, { actorId: auth.sub, sessionId: auth.sid, meta: requestMeta(req) }),
    }),
    route(endpoints.deleteServiceAccount, {
      async handler({ auth, params, req }) {
        await deleteServiceAccount(ctx, params.id, { actorId: auth.sub, meta: requestMeta(req) });
      },
    }),
    route(endpoints.clientCredentialsToken, {
      handler({ body, req }) {
        const { id, secret } = clientOf(req.get('authorization'), body);
        return issueServiceToken(ctx, id, secret, requestMeta(req));
      },
    }),
  ];
}

/** RFC 6749 2.3.1: HTTP Basic (each half form-urlencoded) or, failing that, the body's client_id and client_secret. */
function clientOf(header: string | undefined, body: { client_id?: string | undefined; client_secret?: string | undefined }) {
  const basic = header && /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim())?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      try {
        const unform = (s: string) => decodeURIComponent(s.replaceAll('+', ' '));
        return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
      } catch {
        // Not form-encoded: refused below like any wrong client.
      }
    }
  } else if (body.client_id && body.client_secret) return { id: body.client_id, secret: body.client_secret };
  throw new ApiError(401, 'INVALID_CREDENTIALS', 'Send the client id and secret (HTTP Basic or client_id and client_secret).');
}
