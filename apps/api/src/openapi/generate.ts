import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import { COOKIE_NAMES, ErrorBody, type EndpointDefinition } from '@portcullis/contract';

/**
 * The OpenAPI 3.1 document, generated from the endpoint definitions of packages/contract: the
 * same schemas the API validates with. Nothing here describes a shape by hand.
 */

const STATUS_TEXT: Record<number, string> = {
  200: 'OK.',
  201: 'Created.',
  202: 'Accepted.',
  204: 'Done; no body.',
  302: 'A redirect (see Location).',
  303: 'A redirect (see Location).',
  400: 'The request is malformed or a field is invalid (`details` names the fields).',
  401: 'Not signed in, or the credentials or token were refused.',
  403: 'Signed in, but not allowed.',
  404: 'Not found (also for what the caller may not see).',
  409: 'In conflict with the current state.',
  413: 'The body is larger than 16 KiB.',
  415: 'The body is not UTF-8 JSON.',
  429: 'Too many requests; `Retry-After` says when to try again.',
};

const errorResponse = (status: number) => ({
  description: STATUS_TEXT[status] ?? 'An error.',
  content: { 'application/json': { schema: ErrorBody } },
});

function securityOf(auth: EndpointDefinition['auth']): ZodOpenApiOperationObject['security'] {
  if (auth === 'none') return [];
  if (auth === 'refresh') return [{ refreshCookie: [] }, {}];
  if (auth === 'session') return [{ sessionCookie: [] }];
  return [{ bearer: [] }];
}

/** Error statuses an endpoint can answer: implied by its definition, plus the ones it names. */
export function errorStatuses(e: EndpointDefinition): number[] {
  const implied = [
    ...(e.body || e.query ? [400] : []),
    // A refresh-cookie endpoint names its 401 itself: logout answers 204 whatever the token.
    ...(e.auth === 'none' || e.auth === 'refresh' ? [] : [401]),
    ...(e.auth === 'admin' || typeof e.auth === 'object' ? [403] : []),
    ...(e.body ? [413, 415] : []),
    ...(e.rateLimit ? [429] : []),
  ];
  return [...new Set([...implied, ...(e.errors ?? [])])].sort((a, b) => a - b);
}

export const ADMIN_MFA_NOTE =
  'Not in the contract: with ADMIN_REQUIRE_MFA=true also a session signed in with a second factor (token `amr` has `mfa`), else 403 FORBIDDEN.';

/** The permission an operation needs, and the admin features' second-factor rule. */
function permissionNotes(auth: EndpointDefinition['auth']): Record<string, string> {
  if (auth === 'admin') return { 'x-permission': 'manage_users', 'x-admin-require-mfa': ADMIN_MFA_NOTE };
  return typeof auth === 'object' ? { 'x-permission': auth.permission } : {};
}

function operationOf(e: EndpointDefinition): ZodOpenApiOperationObject {
  const pathParams = [...e.path.matchAll(/:(\w+)/g)].flatMap((m) => (m[1] ? [m[1]] : []));
  const responses: Record<string, ZodOpenApiResponseObject> = {
    [String(e.status)]: {
      description: STATUS_TEXT[e.status] ?? 'Success.',
      ...(e.response ? { content: { 'application/json': { schema: e.response } } } : {}),
      ...(e.headers
        ? { headers: z.object(Object.fromEntries(Object.entries(e.headers).map(([name, description]) => [name, z.string().optional().meta({ description })]))) }
        : {}),
    },
  };
  for (const status of errorStatuses(e)) responses[String(status)] = errorResponse(status);
  return {
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    tags: e.tags,
    operationId: `${e.method}${e.path.replace(/^\/api/, '').replace(/[/:-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    security: securityOf(e.auth),
    ...(pathParams.length || e.query || e.requestHeaders
      ? {
          requestParams: {
            ...(pathParams.length
              ? { path: z.object(Object.fromEntries(pathParams.map((name) => [name, /^(id|.+Id)$/.test(name) ? z.uuid() : z.string()]))) }
              : {}),
            ...(e.query ? { query: e.query as z.ZodObject } : {}),
            ...(e.requestHeaders
              ? {
                  header: z.object(
                    Object.fromEntries(Object.entries(e.requestHeaders).map(([name, description]) => [name, z.string().optional().meta({ description })])),
                  ),
                }
              : {}),
          },
        }
      : {}),
    // A missing body is validated as `{}` (http/route.ts): required only when `{}` is refused.
    ...(e.body ? { requestBody: { required: !e.body.safeParse({}).success, content: { 'application/json': { schema: e.body } } } } : {}),
    responses,
    ...(e.extension ? { 'x-portcullis-extension': true } : {}),
    ...permissionNotes(e.auth),
  };
}

export function generatePaths(endpoints: EndpointDefinition[]): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const e of endpoints) {
    const path = e.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [e.method]: operationOf(e) };
  }
  return paths;
}

export const securitySchemes = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (at+jwt)' },
  refreshCookie: { type: 'apiKey', in: 'cookie', name: COOKIE_NAMES.refresh },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: COOKIE_NAMES.session,
    description: 'The signed session id the web app’s server reads; grants no token.',
  },
} as const;

/** The generated document as JSON data (zod-openapi's own types are not exported by name). */
export interface OpenApiDocument {
  openapi: string;
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export function generateDocument(options: { serverUrl: string; endpoints: EndpointDefinition[] }): OpenApiDocument {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Portcullis API',
      version: '1.0.0',
      description:
        'Authentication and authorization: sign-up, login, tokens, sessions, MFA, OAuth, roles. Errors share one shape: `{ error: { code, message, details? }, requestId }`. Operations marked `x-portcullis-extension` are beyond the HTTP contract.',
    },
    servers: [{ url: options.serverUrl }],
    paths: generatePaths(options.endpoints),
    components: { securitySchemes: { ...securitySchemes } },
  }) as unknown as OpenApiDocument;
}
