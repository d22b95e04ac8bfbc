import { emailSignIn as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { limitEmailSignIn, redeemSignIn, requireEmailSignIn, sendSignInCode } from '../services/emailSignIn.js';
import { signedIn, wantsBodyTransport } from './auth.js';

/** Beyond the contract: the ways of signing in on offer, and sign-in by an emailed code or link (services/emailSignIn.ts). */
export function emailSignInRoutes(ctx: AppContext): Route[] {
  return [
    route(endpoints.methods, {
      handler: () => ({ passkeys: true, emailCode: ctx.config.EMAIL_SIGNIN, emailSignUp: ctx.config.EMAIL_SIGNIN && ctx.config.EMAIL_SIGNUP }),
    }),
    route(endpoints.request, {
      async handler({ req, res, body }) {
        requireEmailSignIn(ctx);
        await limitEmailSignIn(ctx, body.email, requestMeta(req).ip);
        // Answer first, work after: the same 202 in the same time whether or not the account exists.
        res.status(202).end();
        sendSignInCode(ctx, body.email, requestMeta(req)).catch((error: Error) =>
          req.log.warn({ err: { message: error.message } }, 'email sign-in request failed'),
        );
      },
    }),
    route(endpoints.redeem, {
      async handler({ req, res, body }) {
        requireEmailSignIn(ctx);
        const outcome = await redeemSignIn(ctx, body, requestMeta(req));
        if (outcome.kind === 'mfa_required') return outcome.challenge;
        return signedIn(ctx, res, outcome.result, wantsBodyTransport(req));
      },
    }),
  ];
}
