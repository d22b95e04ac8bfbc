import { account, mfa } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { confirmEmailChange, requestEmailChange } from '../services/emailChange.js';
import { resendVerification, verifyEmail } from '../services/emailVerification.js';
import { completeMfaLogin, disableTotp, enableTotp, setupTotp } from '../services/mfa.js';
import { regenerateRecoveryCodes, remainingRecoveryCodes } from '../services/mfaRecovery.js';
import { completePendingLink } from '../http/oauth/pendingLink.js';
import { changePassword, requestPasswordReset, resetPassword } from '../services/passwordAccount.js';
import { checkPasswordPolicy, commonPasswordSuffixes, configuredPasswordPolicy } from '../services/passwords.js';
import { checkResetLink } from '../services/resetLinks.js';
import { consumeAccountAction } from '../services/rateLimits.js';
import { signedIn, wantsBodyTransport } from './auth.js';

/**
 * Account lifecycle endpoints (packages/contract routes/account.ts and routes/mfa.ts): email
 * verification and change, password forgot/reset/change, TOTP MFA and the second step of an MFA
 * login. Tokens and codes arrive in JSON bodies only, never in a URL.
 */
export function accountRoutes(ctx: AppContext): Route[] {
  // The configured policy (PASSWORD_MIN_LENGTH, PASSWORD_REQUIRE_CLASSES): not part of the static schema.
  const policy = configuredPasswordPolicy(ctx.config);
  const newPasswordPolicy = { newPassword: (value: string) => checkPasswordPolicy(value, policy, 'newPassword').map((issue) => issue.message) };

  return [
    route(mfa.loginMfa, {
      async handler({ req, res, body }) {
        const meta = requestMeta(req);
        const result = await completeMfaLogin(ctx, body, meta);
        // A provider sign-in that matched this account by its address is linked only now (http/oauth/pendingLink.ts).
        await completePendingLink(ctx, req, res, { mfaToken: body.mfaToken, userId: result.user.id }, meta);
        return signedIn(ctx, res, result, wantsBodyTransport(req));
      },
    }),

    route(account.changePassword, {
      fieldChecks: newPasswordPolicy,
      async handler({ auth, body, req }) {
        await changePassword(ctx, { userId: auth.sub, sessionId: auth.sid, ...body }, requestMeta(req));
      },
    }),

    route(account.forgotPassword, {
      async handler({ body, req, res }) {
        // 5 per account per hour, counted for unknown addresses too: the 429 says nothing about the account.
        await consumeAccountAction(ctx, 'password_forgot', body.email);
        const meta = requestMeta(req);
        // Answer first, work after: the same 202 in the same time whether or not the account exists.
        res.status(202).end();
        requestPasswordReset(ctx, body.email, meta).catch((error: Error) => req.log.warn({ err: { message: error.message } }, 'password reset request failed'));
      },
    }),

    route(account.resetPassword, {
      fieldChecks: newPasswordPolicy,
      async handler({ body, req }) {
        await resetPassword(ctx, body, requestMeta(req));
      },
    }),

    route(account.commonPasswords, {
      handler: async ({ query }) => ({ suffixes: commonPasswordSuffixes(query.prefix) }),
    }),

    route(account.checkResetLink, {
      handler: async ({ body }) => checkResetLink(ctx.db, body.token),
    }),

    route(account.verifyEmail, {
      handler: async ({ body, req }) => ({ user: await verifyEmail(ctx, body.token, requestMeta(req)) }),
    }),

    route(account.resendVerification, {
      async handler({ auth, req }) {
        await consumeAccountAction(ctx, 'verify_resend', auth.sub);
        await resendVerification(ctx, auth.sub, requestMeta(req));
      },
    }),

    route(account.requestEmailChange, {
      async handler({ auth, body, req }) {
        await requestEmailChange(ctx, { userId: auth.sub, sessionId: auth.sid }, body, requestMeta(req));
      },
    }),

    // No bearer: the link may be opened on another device.
    route(account.confirmEmailChange, {
      handler: async ({ body, req }) => ({ user: await confirmEmailChange(ctx, body.token, requestMeta(req)) }),
    }),

    route(mfa.setupTotp, {
      handler: ({ auth, req }) => setupTotp(ctx, auth.sub, requestMeta(req)),
    }),

    route(mfa.enableTotp, {
      handler: ({ auth, body, req }) => enableTotp(ctx, { userId: auth.sub, sessionId: auth.sid }, body, requestMeta(req)),
    }),

    route(mfa.disableTotp, {
      async handler({ auth, body, req }) {
        await disableTotp(ctx, { userId: auth.sub, sessionId: auth.sid }, body, requestMeta(req));
      },
    }),

    route(mfa.recoveryCodesLeft, {
      handler: ({ auth }) => remainingRecoveryCodes(ctx, auth.sub),
    }),

    route(mfa.regenerateRecoveryCodes, {
      handler: ({ auth, body, req }) => regenerateRecoveryCodes(ctx, { userId: auth.sub, sessionId: auth.sid }, body, requestMeta(req)),
    }),
  ];
}
