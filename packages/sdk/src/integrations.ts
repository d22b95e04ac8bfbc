// The admin calls for other systems' access (issue 15, not in the contract): webhook endpoints and
// their delivery log, and service accounts. Typed by their endpoint definitions in
// @portcullis/contract (routes/webhooks.ts, routes/apiKeys.ts); reached as `client.admin.webhooks`
// and `client.admin.serviceAccounts`. Admin (`manage_users`) only. A user's own personal API keys
// are `client.createApiKey` and its siblings; a service's tokens come from `clientCredentials()`
// in `@portcullis/sdk/server`.
import type { apiKeys, BodyInputOf, QueryOf, ResponseOf, ServiceAccount, WebhookDelivery, WebhookEndpoint, webhooks } from '@portcullis/contract';
import { queryOf } from '#sdk/adminConsole';
import { jsonPost, readJson } from '#sdk/http';

export type { ServiceAccount, WebhookDelivery, WebhookEndpoint };
/** A new endpoint and its Standard Webhooks signing secret (`whsec_…`), shown this once. */
export type CreatedWebhookEndpoint = ResponseOf<typeof webhooks.createWebhookEndpoint>;
export type WebhookEndpointInput = BodyInputOf<typeof webhooks.createWebhookEndpoint>;
export type WebhookEndpointChanges = BodyInputOf<typeof webhooks.updateWebhookEndpoint>;
export type WebhookDeliveryPage = ResponseOf<typeof webhooks.listWebhookDeliveries>;
export type WebhookDeliveryQuery = Partial<QueryOf<typeof webhooks.listWebhookDeliveries>>;
/** A new service account and its client secret, shown this once. */
export type CreatedServiceAccount = ResponseOf<typeof apiKeys.createServiceAccount>;
export type ServiceAccountInput = BodyInputOf<typeof apiKeys.createServiceAccount>;

export interface WebhooksAdminClient {
  list(): Promise<WebhookEndpoint[]>;
  /** VALIDATION_FAILED for a private or loopback target (unless the API allows them). */
  create(input: WebhookEndpointInput): Promise<CreatedWebhookEndpoint>;
  /** Change the URL, events or description, or enable/disable. NOT_FOUND. */
  update(endpointId: string, changes: WebhookEndpointChanges): Promise<WebhookEndpoint>;
  /** Removes the endpoint and its delivery log. NOT_FOUND. */
  remove(endpointId: string): Promise<void>;
  /** The endpoint's delivery log, newest first. NOT_FOUND. */
  deliveries(endpointId: string, query?: WebhookDeliveryQuery): Promise<WebhookDeliveryPage>;
  /** Queues the same event (same `webhook-id` and body) again; returns the new delivery. NOT_FOUND. */
  resend(endpointId: string, deliveryId: string): Promise<WebhookDelivery>;
}

export interface ServiceAccountsAdminClient {
  list(): Promise<ServiceAccount[]>;
  create(input: ServiceAccountInput): Promise<CreatedServiceAccount>;
  /** Its tokens are refused at once. NOT_FOUND. */
  remove(serviceAccountId: string): Promise<void>;
}

export interface IntegrationsAdminClient {
  webhooks: WebhooksAdminClient;
  serviceAccounts: ServiceAccountsAdminClient;
}

export function integrationsAdminCalls(fetchAuthed: (path: string, init?: RequestInit) => Promise<Response>): IntegrationsAdminClient {
  const json = async <T>(path: string, init?: RequestInit) => readJson<T>(await fetchAuthed(path, init));
  const endpoint = (id: string) => `/api/admin/webhooks/${encodeURIComponent(id)}`;
  const serviceAccount = (id: string) => `/api/admin/service-accounts/${encodeURIComponent(id)}`;
  return {
    webhooks: {
      list: async () => (await json<ResponseOf<typeof webhooks.listWebhookEndpoints>>('/api/admin/webhooks')).endpoints,
      create: (input) => json('/api/admin/webhooks', jsonPost(input)),
      update: async (id, changes) =>
        (await json<ResponseOf<typeof webhooks.updateWebhookEndpoint>>(endpoint(id), { ...jsonPost(changes), method: 'PATCH' })).endpoint,
      async remove(id) {
        await json<void>(endpoint(id), { method: 'DELETE' });
      },
      deliveries: (id, query) => json(`${endpoint(id)}/deliveries${queryOf(query)}`),
      resend: async (id, deliveryId) =>
        (await json<ResponseOf<typeof webhooks.resendWebhookDelivery>>(`${endpoint(id)}/deliveries/${encodeURIComponent(deliveryId)}/resend`, jsonPost({})))
          .delivery,
    },
    serviceAccounts: {
      list: async () => (await json<ResponseOf<typeof apiKeys.listServiceAccounts>>('/api/admin/service-accounts')).serviceAccounts,
      create: (input) => json('/api/admin/service-accounts', jsonPost(input)),
      async remove(id) {
        await json<void>(serviceAccount(id), { method: 'DELETE' });
      },
    },
  };
}
