import type { z } from 'zod';
import type { Permission } from './access.js';

/**
 * One endpoint of the HTTP contract, as data: what it accepts, what it answers, who may call it.
 * The API implements it (apps/api/src/http/route.ts: validation, auth, rate limit, cache header,
 * generated OpenAPI), the SDK takes its input and output types from it.
 */

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * Who may call it:
 * - `none`: anyone (the handler may still read a cookie);
 * - `bearer`: a valid, unrevoked access token; `{ permission }`: and its role has that permission;
 * - `admin`: `manage_users`, and with ADMIN_REQUIRE_MFA a session signed in with a second factor;
 * - `refresh` / `session`: a cookie the handler reads (the refresh cookie or body token, the
 *   signed session cookie); documented, not checked before the handler.
 */
export type EndpointAuth = 'none' | 'bearer' | 'admin' | 'refresh' | 'session' | { permission: Permission };

/** Per-address limits taken before the body is read (the API's RATE_LIMIT_*_PER_IP settings). */
export type AddressLimit = 'login' | 'register' | 'password_forgot';

export interface EndpointDefinition {
  method: Method;
  /** Express-style: `/api/projects/:id`. Parameters named `id` or ending in `Id` must be UUIDs (else 404). */
  path: string;
  auth: EndpointAuth;
  summary: string;
  description?: string;
  tags: string[];
  body?: z.ZodType;
  query?: z.ZodType;
  /** The success status; 204 and redirects have no `response`. */
  status: 200 | 201 | 202 | 204 | 302 | 303;
  response?: z.ZodType;
  /** Error statuses beyond the ones the definition implies (401 for auth, 400 for a body or query, 429 for a rate limit). */
  errors?: number[];
  rateLimit?: AddressLimit;
  /** `Cache-Control` of the success answer; `no-store` unless given; `false`: no such header (the health probes). */
  cache?: string | false;
  /** Beyond the contract (../shared/spec/http-api.md): marked `x-portcullis-extension` in the OpenAPI. */
  extension?: boolean;
  /** The message of the 404 for a malformed or unknown id. */
  notFound?: string;
  /** Response headers worth documenting (name → description). */
  headers?: Record<string, string>;
  /**
   * Whether a personal API key or a service account's token (issue 15) may call a `bearer`
   * endpoint: `true`, or the permission a personal key must carry to call it. Endpoints gated by a
   * permission (`{ permission }`, `admin`) accept them within the key's permissions; the other
   * `bearer` endpoints manage the account itself (password, MFA, sessions, keys) and need a
   * signed-in session unless they say so here.
   */
  machineCallers?: true | Permission;
  /** Optional request headers the endpoint reads (name → description), such as `X-Token-Transport`. */
  requestHeaders?: Record<string, string>;
}

/** Keeps the literal types of a definition (for the typed handler and client) while checking its shape. */
export const endpoint = <const E extends EndpointDefinition>(definition: E): E => definition;

export type BodyOf<E extends EndpointDefinition> = E['body'] extends z.ZodType ? z.output<E['body']> : undefined;
export type BodyInputOf<E extends EndpointDefinition> = E['body'] extends z.ZodType ? z.input<E['body']> : undefined;
export type QueryOf<E extends EndpointDefinition> = E['query'] extends z.ZodType ? z.output<E['query']> : undefined;
export type ResponseOf<E extends EndpointDefinition> = E['response'] extends z.ZodType ? z.output<E['response']> : void;
export type ResponseInputOf<E extends EndpointDefinition> = E['response'] extends z.ZodType ? z.input<E['response']> : void;
