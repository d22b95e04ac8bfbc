import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireAuth } from '../http/middleware/authenticate.js';
import { validateBody } from '../http/middleware/validate.js';
import { requestMeta } from '../http/requestMeta.js';
import { confirmEmailChange, requestEmailChange } from '../services/emailChange.js';
import { resendVerification, verifyEmail } from '../services/emailVerification.js';
import { completeMfaLogin, disableTotp, enableTotp, setupTotp } from '../services/mfa.js';
import { regenerateRecoveryCodes, remainingRecoveryCodes } from '../services/mfaRecovery.js';
import { completePendingLink } from '../services/oauth/pendingLink.js';
import { changePassword, requestPasswordReset, resetPassword } from '../services/passwordAccount.js';
import { consumeAccountAction } from '../services/rateLimits.js';
import { emailSchema, passwordSchema, sendSignedIn, wantsBodyTransport } from './auth.js';

/**
 * Account lifecycle endpoints of the contract: email verification, password forgot/reset/change,
 * TOTP MFA and the second step of an MFA login. Mounted under /api/auth beside routes/auth.ts.
 * Tokens and codes arrive in JSON bodies only, never in a URL.
 */

const token = z.string({ message: 'The token is missing.' }).min(1, 'The token is missing.').max(512, 'The token is not valid.');
const totpCode = z.string({ message: 'Enter the 6-digit code.' }).trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.');
// Optional: an account without a password re-authenticates by a fresh sign-in (services/reauthentication.ts).
const password = z.string({ message: 'Enter your password.' }).min(1, 'Enter your password.').max(1024).optional();
const recoveryCode = z.string({ message: 'Enter a recovery code.' }).trim().min(1, 'Enter a recovery code.').max(64, 'That is not a recovery code.');

const noStore = (res: Response) => res.setHeader('Cache-Control', 'no-store');

export function accountRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post(
    '/login/mfa',
    validateBody(
      z.union([
        z.strictObject({ mfaToken: token, code: totpCode }),
        z.strictObject({ mfaToken: token, recoveryCode }),
      ], { message: 'Send mfaToken with either code or recoveryCode.' }),
    ),
    async (req, res) => {
      const meta = requestMeta(req);
      const signedIn = await completeMfaLogin(ctx, req.body, meta);
      // A provider sign-in that matched this account by its address is linked only now (services/oauth/pendingLink.ts).
      await completePendingLink(ctx, req, res, { mfaToken: req.body.mfaToken, userId: signedIn.user.id }, meta);
      sendSignedIn(ctx, res, signedIn, wantsBodyTransport(req));
    },
  );

  router.post(
    '/password/change',
    requireAuth,
    validateBody(z.object({ currentPassword: z.string({ message: 'Enter your current password.' }).min(1, 'Enter your current password.').max(1024), newPassword: passwordSchema(ctx) })),
    async (req, res) => {
      const { sub, sid } = req.auth!;
      await changePassword(ctx, { userId: sub, sessionId: sid, ...req.body }, requestMeta(req));
      res.status(204).end();
    },
  );

  router.post(
    '/password/forgot',
    validateBody(z.object({ email: z.string({ message: 'Enter your email address.' }).trim().min(3, 'Enter your email address.').max(320, 'Email is too long.') })),
    async (req, res) => {
      // 5 per account per hour, counted for unknown addresses too: the 429 says nothing about the account.
      await consumeAccountAction(ctx, 'password_forgot', req.body.email);
      const meta = requestMeta(req);
      // Answer first, work after: the same 202 in the same time whether or not the account exists.
      res.status(202).end();
      requestPasswordReset(ctx, req.body.email, meta).catch((error: Error) => req.log.warn({ err: { message: error.message } }, 'password reset request failed'));
    },
  );

  router.post('/password/reset', validateBody(z.object({ token, newPassword: passwordSchema(ctx) })), async (req, res) => {
    await resetPassword(ctx, req.body, requestMeta(req));
    res.status(204).end();
  });

  router.post('/email/verify', validateBody(z.object({ token })), async (req, res) => {
    noStore(res);
    res.json({ user: await verifyEmail(ctx, req.body.token, requestMeta(req)) });
  });

  router.post('/email/verify/resend', requireAuth, async (req, res) => {
    await consumeAccountAction(ctx, 'verify_resend', req.auth!.sub);
    await resendVerification(ctx, req.auth!.sub, requestMeta(req));
    res.status(202).end();
  });

  // Not in the contract (documented in openapi/profile.ts): a new address, confirmed by a link mailed to it.
  router.post('/email/change', requireAuth, validateBody(z.strictObject({ newEmail: emailSchema, password })), async (req, res) => {
    await requestEmailChange(ctx, { userId: req.auth!.sub, sessionId: req.auth!.sid }, req.body, requestMeta(req));
    res.status(202).end();
  });

  // No bearer: the link may be opened on another device.
  router.post('/email/change/confirm', validateBody(z.strictObject({ token })), async (req, res) => {
    noStore(res);
    res.json({ user: await confirmEmailChange(ctx, req.body.token, requestMeta(req)) });
  });

  router.post('/mfa/totp/setup', requireAuth, async (req, res) => {
    noStore(res);
    res.json(await setupTotp(ctx, req.auth!.sub, requestMeta(req)));
  });

  // `password` is beyond the contract (openapi/account.ts): without a sign-in of the last 10 minutes it is required.
  router.post('/mfa/totp/enable', requireAuth, validateBody(z.object({ code: totpCode, password })), async (req, res) => {
    noStore(res);
    res.json(await enableTotp(ctx, { userId: req.auth!.sub, sessionId: req.auth!.sid }, req.body, requestMeta(req)));
  });

  router.post(
    '/mfa/totp/disable',
    requireAuth,
    validateBody(z.object({ password, code: z.string({ message: 'Enter a code.' }).trim().min(1, 'Enter a code.').max(64) })),
    async (req, res) => {
      await disableTotp(ctx, { userId: req.auth!.sub, sessionId: req.auth!.sid }, req.body, requestMeta(req));
      res.status(204).end();
    },
  );

  // Not in the contract (documented in openapi/account.ts): the count of unused recovery codes, and a new set.
  router.get('/mfa/recovery-codes', requireAuth, async (req, res) => {
    noStore(res);
    res.json(await remainingRecoveryCodes(ctx, req.auth!.sub));
  });

  router.post('/mfa/recovery-codes/regenerate', requireAuth, validateBody(z.object({ password, code: totpCode })), async (req, res) => {
    noStore(res);
    res.json(await regenerateRecoveryCodes(ctx, { userId: req.auth!.sub, sessionId: req.auth!.sid }, req.body, requestMeta(req)));
  });

  return router;
}
