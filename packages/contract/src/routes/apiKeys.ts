import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../access.js';
import { endpoint } from '../endpoint.js';
import { reauthPassword } from '../fields.js';
import { refuseHiddenCharacters } from '../shownText.js';

/**
 * Personal API keys and service accounts (an extension, issue 15). A personal key is sent as
 * `Authorization: Bearer pk_…` and acts for its owner within its permissions (never wider than the
 * owner's current role). A service account gets access tokens from `POST /api/oauth/token` with
 * the OAuth 2.0 client credentials grant: the same signed JWTs as a sign-in's, with the service's
 * role, so the SDK's verifier accepts them.
 */

const tags = ['api-keys'];
const timestamp = z.iso.datetime({ offset: true });
const permission = z.enum(PERMISSIONS, { message: `permissions must be among ${PERMISSIONS.join(', ')}.` });
// Shown to the owner and, for service accounts, to every admin and in the audit view: shownText.ts.
const name = z.string().trim().min(1, 'Enter a name.').max(100, 'name must be at most 100 characters.').superRefine(refuseHiddenCharacters('Name'));

export const ApiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, to recognise it.' }),
    permissions: z.array(permission),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;

export const ServiceAccount = z
  .object({ id: z.uuid(), name: z.string(), clientId: z.string(), role: z.enum(ROLES), createdAt: timestamp, lastUsedAt: timestamp.nullable() })
  .meta({ id: 'ServiceAccount' });
export type ServiceAccount = z.infer<typeof ServiceAccount>;

export const listApiKeys = endpoint({
  method: 'get',
  path: '/api/auth/api-keys',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Your live personal API keys (not in the contract)',
  description: 'Revoked and expired keys are not listed. Never the key itself.',
  status: 200,
  response: z.object({ apiKeys: z.array(ApiKey) }),
});

export const createApiKey = endpoint({
  method: 'post',
  path: '/api/auth/api-keys',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Create a personal API key (not in the contract)',
  description:
    'Re-authenticates like turning MFA on (the password, or without one a sign-in of the last 10 minutes). `permissions` must be within your role (`403 FORBIDDEN` otherwise); they are narrowed again on every use if your role drops. The `key` is in this answer only (stored as its SHA-256). Audited as `api_key.created`.',
  body: z.object({
    name,
    permissions: z.array(permission).min(1, 'Choose at least one permission.'),
    expiresInDays: z.number().int().min(1).max(366).nullable().default(90).meta({ description: 'Null: never expires.' }),
    password: reauthPassword,
  }),
  status: 201,
  response: z.object({ apiKey: ApiKey, key: z.string().meta({ description: 'Send as `Authorization: Bearer <key>`. Shown once.' }) }),
  errors: [403],
});

export const revokeApiKey = endpoint({
  method: 'delete',
  path: '/api/auth/api-keys/:id',
  auth: 'bearer',
  tags,
  extension: true,
  summary: 'Revoke one of your API keys (not in the contract)',
  description: 'Refused from the next request on. Audited as `api_key.revoked`. Another user’s key is `404`.',
  status: 204,
  errors: [404],
  notFound: 'No such API key.',
});

export const listServiceAccounts = endpoint({
  method: 'get',
  path: '/api/admin/service-accounts',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'List service accounts (not in the contract)',
  status: 200,
  response: z.object({ serviceAccounts: z.array(ServiceAccount) }),
});

export const createServiceAccount = endpoint({
  method: 'post',
  path: '/api/admin/service-accounts',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Create a service account (not in the contract)',
  description:
    'A lasting credential, so it re-authenticates like a personal API key (the password, or without one a sign-in of the last 10 minutes; `401 INVALID_CREDENTIALS` otherwise) and needs a signed-in session (an API key or a service token gets `403`). The `clientSecret` is in this answer only (stored as its SHA-256). Audited as `service_account.created` and mailed to the admin who created it.',
  body: z.object({ name, role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}.` }).default('user'), password: reauthPassword }),
  status: 201,
  response: z.object({ serviceAccount: ServiceAccount, clientSecret: z.string() }),
});

export const deleteServiceAccount = endpoint({
  method: 'delete',
  path: '/api/admin/service-accounts/:id',
  auth: 'admin',
  tags,
  extension: true,
  summary: 'Delete a service account (not in the contract)',
  description: 'Its access tokens are refused at once. Audited as `service_account.deleted`.',
  status: 204,
  errors: [404],
  notFound: 'No such service account.',
});

export const clientCredentialsToken = endpoint({
  method: 'post',
  path: '/api/oauth/token',
  auth: 'none',
  tags,
  extension: true,
  summary: 'OAuth 2.0 client credentials grant (not in the contract)',
  description:
    'RFC 6749 4.4: `grant_type=client_credentials` with the client id and secret in HTTP Basic (`client_secret_basic`) or in the body (`client_secret_post`); the body may be `application/x-www-form-urlencoded` (as RFC 6749 asks) or JSON. Answers an access token signed like a sign-in’s (`sub` is the service account id, `role` its role, `client_id` its client id) that the SDK verifier accepts. No refresh token: ask again. A wrong client is `401 INVALID_CREDENTIALS`. Audited as `service_account.token_issued`.',
  body: z.object({
    grant_type: z.literal('client_credentials', { message: 'grant_type must be client_credentials.' }),
    client_id: z.string().max(200).optional(),
    client_secret: z.string().max(200).optional(),
    scope: z.string().max(500).optional(),
  }),
  status: 200,
  response: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() }),
  rateLimit: 'login',
});
