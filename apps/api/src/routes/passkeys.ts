import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { passkeys as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { secondFactorOptions, secondFactorWithPasskey, signInOptions, signInWithPasskey } from '../services/passkeySignIn.js';
import { finishRegistration, listPasskeys, removePasskey, renamePasskey, startRegistration } from '../services/passkeys.js';
import { signedIn, wantsBodyTransport } from './auth.js';

/**
 * Passkeys (packages/contract routes/passkeys.ts), beyond the contract. Thin: the ceremonies'
 * checks are in services/passkeys.ts and services/passkeySignIn.ts. The credential JSON is
 * checked for its outer shape by the contract and in full by @simplewebauthn/server.
 */
export function passkeyRoutes(ctx: AppContext): Route[] {
  return [
    route(endpoints.registrationOptions, {
      handler: ({ req, auth, body }) => startRegistration(ctx, { userId: auth.sub, sessionId: auth.sid }, body, requestMeta(req)),
    }),
    route(endpoints.register, {
      handler: async ({ req, auth, body }) => ({
        passkey: await finishRegistration(
          ctx,
          { userId: auth.sub, sessionId: auth.sid },
          { response: body.response as unknown as RegistrationResponseJSON, name: body.name },
          requestMeta(req),
        ),
      }),
    }),
    route(endpoints.list, {
      handler: async ({ auth }) => ({ passkeys: await listPasskeys(ctx.db, auth.sub) }),
    }),
    route(endpoints.rename, {
      handler: async ({ req, auth, params, body }) => ({ passkey: await renamePasskey(ctx, auth.sub, params.id, body.name, requestMeta(req)) }),
    }),
    route(endpoints.remove, {
      handler: ({ req, auth, params }) => removePasskey(ctx, auth.sub, params.id, requestMeta(req)),
    }),
    route(endpoints.signInOptions, {
      handler: () => signInOptions(ctx),
    }),
    route(endpoints.signIn, {
      async handler({ req, res, body }) {
        const response = body.response as unknown as AuthenticationResponseJSON;
        return signedIn(ctx, res, await signInWithPasskey(ctx, { attemptId: body.attemptId, response }, requestMeta(req)), wantsBodyTransport(req));
      },
    }),
    route(endpoints.mfaOptions, {
      handler: ({ body }) => secondFactorOptions(ctx, body.mfaToken),
    }),
    route(endpoints.mfa, {
      async handler({ req, res, body }) {
        const response = body.response as unknown as AuthenticationResponseJSON;
        return signedIn(ctx, res, await secondFactorWithPasskey(ctx, { mfaToken: body.mfaToken, response }, requestMeta(req)), wantsBodyTransport(req));
      },
    }),
  ];
}
