import { webhooks as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requireSession } from '../http/middleware/authorize.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { forbidden } from '../services/errors.js';
import { createEndpoint, deleteEndpoint, listDeliveries, listEndpoints, resendDelivery, updateEndpoint } from '../services/webhooks/endpoints.js';

/** `/api/admin/webhooks` (an extension, issue 15): every route is auth `admin`; every change is audited with its actor. */
export function webhookRoutes(ctx: AppContext): Route[] {
  return [
    route(endpoints.listWebhookEndpoints, { handler: async () => ({ endpoints: await listEndpoints(ctx) }) }),
    route(endpoints.createWebhookEndpoint, {
      // A new target re-authenticates a person (services/webhooks/endpoints.ts): not for API keys or service tokens.
      guards: [requireSession],
      handler: ({ auth, body: { password, ...input }, req }) =>
        createEndpoint(ctx, input, { actorId: auth.sub, sessionId: auth.sid, password, meta: requestMeta(req) }),
    }),
    route(endpoints.updateWebhookEndpoint, {
      // Machine callers may still enable, disable or re-subscribe; a new url is refused to them there.
      handler: async ({ auth, body: { password, ...changes }, params, req }) => {
        if (changes.url !== undefined && (auth.apiKey || auth.client_id !== undefined)) throw forbidden('API keys and service tokens cannot do this: sign in.');
        return { endpoint: await updateEndpoint(ctx, params.id, changes, { actorId: auth.sub, sessionId: auth.sid, password, meta: requestMeta(req) }) };
      },
    }),
    route(endpoints.deleteWebhookEndpoint, {
      async handler({ auth, params, req }) {
        await deleteEndpoint(ctx, params.id, { actorId: auth.sub, meta: requestMeta(req) });
      },
    }),
    route(endpoints.listWebhookDeliveries, { handler: ({ params, query }) => listDeliveries(ctx, params.id, query) }),
    route(endpoints.resendWebhookDelivery, {
      handler: async ({ auth, params, req }) => ({
        delivery: await resendDelivery(ctx, params.id, params.deliveryId, { actorId: auth.sub, meta: requestMeta(req) }),
      }),
    }),
  ];
}
