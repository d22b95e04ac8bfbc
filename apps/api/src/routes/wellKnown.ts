import { system as endpoints, type ResponseInputOf } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { route, type Route } from '../http/route.js';

/** `GET /.well-known/jwks.json`, cached for 60 s (the endpoint's `cache`). */
export function wellKnownEndpoints(ctx: AppContext): Route[] {
  return [
    route(endpoints.jwks, {
      async handler() {
        // Every key committed before this request, even one whose announcement is still on its way.
        await ctx.keyRing.upToDate();
        // jose types a JWK loosely; the ring only holds keys it made (Ed25519 or P-256), as the schema says.
        return ctx.keyRing.jwks() as ResponseInputOf<typeof endpoints.jwks>;
      },
    }),
  ];
}
