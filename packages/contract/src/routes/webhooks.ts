import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../codes.js';
import { endpoint } from '../endpoint.js';
import { pagination, reauthPassword } from '../fields.js';
import { pageOf } from '../schemas.js';
import { refuseHiddenCharacters } from '../shownText.js';

/**
 * `/api/admin/webhooks` (an extension, issue 15): endpoints that other systems register to hear of
 * changes, signed per the Standard Webhooks specification (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature` headers; `v1` HMAC-SHA256 under the endpoint's `whsec_` secret). Admin only.
 */

const tags = ['webhooks'];
const notFound = 'No such webhook endpoint.';
const timestamp = z.iso.datetime({ offset: true });

const eventType = z.enum(WEBHOOK_EVENT_TYPES, { message: `events must be among ${WEBHOOK_EVENT_TYPES.join(', ')}.` });
const url = z
  .url({ protocol: /^https?$/, message: 'url must be an absolute http(s) URL.' })
  .max(2000, 'url must be at most 2000 characters.')
  .meta({ description: 'Where events are POSTed. Private, loopback and link-local addresses are refused unless `WEBHOOK_ALLOW_PRIVATE=true`.' });
const events = z.array(eventType).min(1, 'Choose at least one event.').max(WEBHOOK_EVENT_TYPES.length);
const description = z.string().trim().max(200, 'description must be at most 200 characters.').superRefine(refuseHiddenCharacters('Description'));

export const WebhookEndpoint = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    events: z.array(eventType),
    enabled: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookDelivery = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    messageId: z.string().meta({ description: 'The `webhook-id` header: the same for every attempt and every resend of one event.' }),
    eventType,
    status: z.enum(['pending', 'succeeded', 'failed']).meta({ description: '`failed`: given up after `WEBHOOK_MAX_ATTEMPTS`.' }),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable().meta({ description: 'The HTTP status of the last attempt; null when it got no answer.' }),
    lastError: z.string().nullable(),
    createdAt: timestamp,
    lastAttemptAt: timestamp.nullable(),
    nextAttemptAt: timestamp.nullable(),
    deliveredAt: timestamp.nullable(),
    payload: z.string().meta({ description: 'The body exactly as signed.' }),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const listWebhookEndpoints = endpoint({
  method: 'get',
  path: '/api/admin/webhooks',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'List webhook endpoints (not in the contract)',
  status: 200,
  response: z.object({ endpoints: z.array(WebhookEndpoint) }),
});

export const createWebhookEndpoint = endpoint({
  method: 'post',
  path: '/api/admin/webhooks',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Add a webhook endpoint (not in the contract)',
  description:
    'A lasting feed of events to a URL of the caller’s choosing, so it re-authenticates (the password, or without one a sign-in of the last 10 minutes; `401 INVALID_CREDENTIALS` otherwise) and needs a signed-in session (an API key or a service token gets `403`). The signing `secret` is in this answer only: it is stored encrypted and never shown again. Audited as `webhook.endpoint_created` and mailed to the admin who added it.',
  body: z.object({ url, events, description: description.default(''), password: reauthPassword }),
  status: 201,
  response: z.object({ endpoint: WebhookEndpoint, secret: z.string().meta({ description: 'Standard Webhooks secret (`whsec_…`), shown once.' }) }),
});

export const updateWebhookEndpoint = endpoint({
  method: 'patch',
  path: '/api/admin/webhooks/:id',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Change, enable or disable a webhook endpoint (not in the contract)',
  description:
    'A disabled endpoint gets no new events; deliveries already queued wait until it is enabled again. A new `url` sends the events elsewhere, so it re-authenticates and needs a signed-in session as adding an endpoint does, and is mailed to the admin. Audited as `webhook.endpoint_updated`.',
  body: z.object({
    url: url.optional(),
    events: events.optional(),
    description: description.optional(),
    enabled: z.boolean().optional(),
    password: reauthPassword,
  }),
  status: 200,
  response: z.object({ endpoint: WebhookEndpoint }),
  errors: [404],
  notFound,
});

export const deleteWebhookEndpoint = endpoint({
  method: 'delete',
  path: '/api/admin/webhooks/:id',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Remove a webhook endpoint and its delivery log (not in the contract)',
  description: 'Audited as `webhook.endpoint_deleted`.',
  status: 204,
  errors: [404],
  notFound,
});

export const listWebhookDeliveries = endpoint({
  method: 'get',
  path: '/api/admin/webhooks/:id/deliveries',
  auth: 'admin',
  tags,
  extension: true,
  summary: "An endpoint's delivery log, newest first (not in the contract)",
  query: z.object({ ...pagination }),
  status: 200,
  response: pageOf('deliveries', WebhookDelivery),
  errors: [404],
  notFound,
});

export const resendWebhookDelivery = endpoint({
  method: 'post',
  path: '/api/admin/webhooks/:id/deliveries/:deliveryId/resend',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Send an event again (not in the contract)',
  description: 'Queues a new delivery of the same event (same `webhook-id` and body, signed afresh) for the endpoint. Audited as `webhook.resent`.',
  status: 202,
  response: z.object({ delivery: WebhookDelivery }),
  errors: [404],
  notFound: 'No such delivery.',
});
