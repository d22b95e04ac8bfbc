// Route handlers (app/**/route.ts) guarded by @portcullis/sdk/server's middleware, which is
// written for node:http-style requests; this adapts it to the Web Request/Response of Next.js:
//
//   const verifier = createVerifier({ issuer, audience, jwksUrl });
//   export const GET = withAccessToken(requirePermission(verifier, 'read'), (request, context, auth) =>
//     Response.json({ user: auth.sub }),
//   );
//
// A refusal is the middleware's own answer (401/403 in the contract's error shape), unchanged.
import type { AccessTokenClaims, BearerMiddleware, BearerRequest, BearerResponse } from '@portcullis/sdk/server';

export interface RouteAuth {
  auth: AccessTokenClaims;
}

export type RouteHandler<C> = (request: Request, context: C, auth: AccessTokenClaims) => Response | Promise<Response>;

/** Runs `guard` (requireAccessToken / requirePermission) before `handler`, which gets the verified claims. */
export function withAccessToken<C = unknown>(guard: BearerMiddleware, handler: RouteHandler<C>): (request: Request, context: C) => Promise<Response> {
  return (request, context) =>
    new Promise<Response>((resolve, reject) => {
      const req: BearerRequest = {
        headers: {
          authorization: request.headers.get('authorization') ?? undefined,
          'x-request-id': request.headers.get('x-request-id') ?? undefined,
        },
      };
      const headers = new Headers();
      const res: BearerResponse = {
        statusCode: 200,
        setHeader: (name, value) => headers.set(name, value),
        end: (body) => resolve(new Response(body, { status: res.statusCode, headers })),
      };
      guard(req, res, (err) => {
        if (err !== undefined) return reject(err instanceof Error ? err : new Error(String(err)));
        const auth = req.auth;
        if (!auth) return reject(new Error('Portcullis: the guard passed without verified claims'));
        Promise.resolve()
          .then(() => handler(request, context, auth))
          .then(resolve, reject);
      });
    });
}
