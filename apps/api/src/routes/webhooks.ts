import { webhooks as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { createEndpoint, deleteEndpoint, listDeliveries, listEndpoints, resendDelivery, updateEndpoint } from '../services/webhooks/endpoints.js';

/** `/api/admin/webhooks` (an extension, issue 15): every route is auth `admin`; every change is audited with its actor. */
export function webhookRoutes(ctx: AppContext): Route[] {
  return [
    route(endpoints.listWebhookEndpoints, { handler: async () => ({ endpoints: await listEndpoints(ctx) }) }),
    route(endpoints.createWebhookEndpoint, {
      handler: ({ auth, body, req }) => createEndpoint(ctx, body, { actorId: auth.sub, meta: requestMeta(req) }),
    }),
    route(endpoints.updateWebhookEndpoint, {
      handler: async ({ auth, body, params, req }) => ({ endpoint: await updateEndpoint(ctx, params.id, body, { actorId: auth.sub, meta: requestMeta(req) }) }),
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
