// @portcullis/contract: the HTTP contract (../shared/spec/http-api.md) in code. Every wire shape,
// code and field rule is written here once; the API validates with these schemas and generates its
// OpenAPI from them, the SDK and the web app take their types from them.
export * from './access.js';
export * from './codes.js';
export * as fields from './fields.js';
export * from './schemas.js';
export * from './organizations.js';
export * from './shownText.js';
export * from './endpoint.js';
export * from './routes/index.js';
export * from './webPages.js';
export * from './cookies.js';
export type { WebhookDelivery, WebhookEndpoint } from './routes/webhooks.js';
export type { ApiKey, ServiceAccount } from './routes/apiKeys.js';
