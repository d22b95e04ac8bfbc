import type { IRouter, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { BodyOf, EndpointDefinition, QueryOf, ResponseInputOf } from '@portcullis/contract';
import { fields, type FieldIssue } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import type { AccessClaims } from '../services/accessTokens.js';
import { notFound, validationFailed } from '../services/errors.js';
import { requireKeyPermission, requirePermission, requireManageUsers, requireSession } from './middleware/authorize.js';
import { requireAuth } from './middleware/authenticate.js';
import { weakEtag } from './etag.js';
import { checkResponse, responseChecksEnabled } from './responseCheck.js';

/**
 * An endpoint of the contract (packages/contract) bound to its handler. Mounting gives every route
 * the same chain, in the contract's order: authentication gate → the route's guards (CSRF origin,
 * ownership) → path ids → body and query validation → handler; the answer gets the endpoint's
 * status and `Cache-Control` (no-store unless the endpoint says otherwise). Per-address rate
 * limits are taken earlier, before the body is parsed (app.ts), from the same definitions.
 */

/** The caller, typed by the endpoint: present wherever the endpoint requires a bearer token. */
type AuthOf<E extends EndpointDefinition> = E['auth'] extends 'none' | 'refresh' | 'session' ? AccessClaims | undefined : AccessClaims;

export interface HandlerInput<E extends EndpointDefinition> {
  req: Request;
  res: Response;
  auth: AuthOf<E>;
  body: BodyOf<E>;
  query: QueryOf<E>;
  /** Path parameters, named by the endpoint's path; ids are already checked UUIDs, lower-cased. */
  params: ParamsOf<E['path']>;
}

/** `:name` segments of a path pattern. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
/** Every parameter the path names is present (Express matched it); a path typed only as string gives the loose record. */
export type ParamsOf<P extends string> = string extends P ? Record<string, string | undefined> : { readonly [K in ParamNames<P>]: string };

export interface RouteImplementation<E extends EndpointDefinition> {
  /** Checks after authentication and before the body is read: the CSRF origin rule, ownership. */
  guards?: RequestHandler[];
  /**
   * Rules a field's static schema cannot hold (the configured password policy), as messages. They
   * run while the body is parsed, beside the other fields' rules, so a 400 lists every invalid field.
   */
  fieldChecks?: { [K in keyof BodyOf<E>]?: (value: BodyOf<E>[K]) => string[] };
  /**
   * Returns the answer's body (sent with the endpoint's status). A redirect or a 204 returns
   * nothing; a handler that wrote the answer itself (a redirect) returns nothing either.
   */
  handler(input: HandlerInput<E>): Promise<ResponseInputOf<E>> | ResponseInputOf<E>;
}

export interface Route {
  endpoint: EndpointDefinition;
  implementation: RouteImplementation<EndpointDefinition>;
}

export function route<const E extends EndpointDefinition>(endpoint: E, implementation: RouteImplementation<E>): Route {
  return { endpoint, implementation: implementation as unknown as RouteImplementation<EndpointDefinition> };
}

const ID_PARAM = /^(id|.+Id)$/;

function authGate(ctx: AppContext, endpoint: EndpointDefinition): RequestHandler[] {
  const { auth } = endpoint;
  if (auth === 'none' || auth === 'refresh' || auth === 'session') return [];
  if (auth === 'bearer') {
    const machines = endpoint.machineCallers;
    if (!machines) return [requireSession];
    return machines === true ? [requireAuth] : [requireAuth, requireKeyPermission(machines)];
  }
  if (auth === 'admin') return [requireManageUsers(ctx.config)];
  return [requirePermission(auth.permission)];
}

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }, fallback: string): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || fallback, message: issue.message }));
}

type FieldChecks = Record<string, ((value: never) => string[]) | undefined>;

/** The endpoint's body schema with each checked field refined by its check (an object schema only). */
function withFieldChecks(schema: z.ZodType | undefined, checks: FieldChecks | undefined): z.ZodType | undefined {
  if (!schema || !checks) return schema;
  if (!(schema instanceof z.ZodObject)) throw new Error('fieldChecks need an object body schema');
  const refined = Object.fromEntries(
    Object.entries(checks).map(([name, check]) => {
      const field = schema.shape[name] as z.ZodType | undefined;
      if (!field || !check) throw new Error(`fieldChecks: the body has no field ${name}`);
      return [
        name,
        field.superRefine((value, issues) => {
          for (const message of check(value as never)) issues.addIssue({ code: 'custom', message });
        }),
      ];
    }),
  );
  return schema.extend(refined);
}

/** The handler chain of one route. */
function chainOf(ctx: AppContext, { endpoint, implementation }: Route): RequestHandler[] {
  const cache = endpoint.cache ?? 'no-store';
  // Answers a cache may keep (public, no-cache) carry a validator, as Express gave them, so a
  // revalidation can be answered 304; no-store answers and the probes do not need one (etag.ts).
  const revalidatable = typeof cache === 'string' && cache !== 'no-store';
  const idNames = [...endpoint.path.matchAll(/:(\w+)/g)].flatMap((m) => (m[1] && ID_PARAM.test(m[1]) ? [m[1]] : []));
  const checking = responseChecksEnabled();
  const bodySchema = withFieldChecks(endpoint.body, implementation.fieldChecks as FieldChecks | undefined);

  /** The answer, once the handler has one: the endpoint's status, JSON, checked in tests. */
  const send = (res: Response, answer: unknown): void => {
    if (res.headersSent) return;
    if (endpoint.status === 204 || endpoint.response === undefined) {
      res.status(endpoint.status).end();
      return;
    }
    if (checking) checkResponse(endpoint, answer);
    // res.json serialises with JSON.stringify as well (no replacer or spaces are configured).
    if (revalidatable) res.setHeader('ETag', weakEtag(JSON.stringify(answer)));
    res.status(endpoint.status).json(answer);
  };

  const invoke: RequestHandler = (req, res) => {
    const params: Record<string, string> = {};
    // Most paths have no parameters: no entries array to walk (issue 12, per-request work).
    if (req.params) for (const name in req.params) params[name] = String(req.params[name]);
    for (const name of idNames) {
      const id = params[name];
      if (id === undefined || !fields.isUuid(id)) throw notFound(endpoint.notFound);
      params[name] = id.toLowerCase();
    }
    let body: unknown;
    if (bodySchema) {
      const parsed = bodySchema.safeParse(req.body ?? {});
      if (!parsed.success) throw validationFailed(issuesOf(parsed.error, 'body'));
      body = parsed.data;
    }
    let query: unknown;
    if (endpoint.query) {
      const parsed = endpoint.query.safeParse(req.query ?? {});
      if (!parsed.success) throw validationFailed(issuesOf(parsed.error, 'query'));
      query = parsed.data;
    }
    if (cache !== false) res.setHeader('Cache-Control', cache);
    const answer = implementation.handler({
      req,
      res,
      auth: req.auth as AccessClaims,
      body: body as never,
      query: query as never,
      params: params as never,
    });
    // A handler that answers at once (the probes, an identity-cache hit written synchronously) is
    // sent in this turn, with no promise made for it. Either way a throw reaches the error handler:
    // the router catches a synchronous throw and passes on the rejection of a returned promise.
    if (!isPromise(answer)) return send(res, answer);
    return answer.then((value) => send(res, value));
  };
  return [...authGate(ctx, endpoint), ...(implementation.guards ?? []), invoke];
}

const isPromise = (value: unknown): value is Promise<unknown> => value instanceof Promise;

/**
 * Every route mounted at its full path on `router` (the app itself: a nested router was one more
 * dispatch, with its own URL parsing, on every request; issue 12).
 */
export function mountRoutes(router: IRouter, ctx: AppContext, routes: Route[]): void {
  for (const r of routes) router[r.endpoint.method](r.endpoint.path, ...chainOf(ctx, r));
}
