import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { clearSessionCookies, readCookie, readSessionCookie, REFRESH_COOKIE, setSessionCookies } from '../http/cookies.js';
import { requireAuth } from '../http/middleware/authenticate.js';
import { requireAllowedOrigin } from '../http/middleware/csrf.js';
import { validateBody } from '../http/middleware/validate.js';
import { requestMeta } from '../http/requestMeta.js';
import { revokeIfUndelivered } from '../http/undelivered.js';
import { login, refresh, register, type SignedIn } from '../services/auth.js';
import { ApiError, notFound, unauthenticated } from '../services/errors.js';
import { createMfaChallenge } from '../services/mfa.js';
import { checkPasswordAgainstEmail, checkPasswordPolicy } from '../services/passwords.js';
import { deleteOwnAccount, updateDisplayName } from '../services/profile.js';
import { findLiveSessionWithUser, listLiveSessions, revokeByRefreshToken, revokeUserSessions, toPublicSession } from '../services/sessions.js';
import { refuseHiddenCharacters } from '@portcullis/contract/shownText';
import { findUserById, toPublicUser } from '../services/users.js';

/** The core auth endpoints of the contract. Thin: parse, call a service, shape the answer. */

/** An address as register takes it; routes/account.ts checks a new one the same way. */
export const emailSchema = z.string({ message: 'Enter your email address.' }).trim().max(254, 'Email is too long.').pipe(z.email({ message: 'Enter a valid email address.' }));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function passwordSchema(ctx: AppContext) {
  const policy = { minLength: ctx.config.PASSWORD_MIN_LENGTH, maxLength: 128, requireClasses: ctx.config.PASSWORD_REQUIRE_CLASSES };
  return z.string({ message: 'Enter a password.' }).superRefine((value, issueCtx) => {
    for (const issue of checkPasswordPolicy(value, policy)) issueCtx.addIssue({ code: 'custom', message: issue.message });
  });
}

export const displayNameSchema = z
  .string({ message: 'Enter your name.' })
  .trim()
  .min(1, 'Enter your name.')
  .max(100, 'Name must be at most 100 characters.')
  // No controls, direction overrides or zero-width characters: services/shownText.ts.
  .superRefine(refuseHiddenCharacters('Name'));

/** What deleting one's own account needs besides the token; which fields depends on the account (services/profile.ts). */
const deletionProof = z
  .strictObject({
    password: z.string({ message: 'Enter your password.' }).min(1, 'Enter your password.').max(1024).optional(),
    code: z.string({ message: 'Enter the 6-digit code.' }).trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.').optional(),
    recoveryCode: z.string({ message: 'Enter a recovery code.' }).trim().min(1, 'Enter a recovery code.').max(64, 'That is not a recovery code.').optional(),
  })
  .refine((body) => body.code === undefined || body.recoveryCode === undefined, { path: ['code'], message: 'Send either a code or a recovery code, not both.' });

/** Non-browser clients ask for the refresh token in the JSON body instead of a cookie. */
export const wantsBodyTransport = (req: { get(name: string): string | undefined }) => req.get('x-token-transport')?.toLowerCase() === 'body';

export function sendSignedIn(ctx: AppContext, res: Response, result: SignedIn, bodyTransport: boolean, status = 200) {
  const body: Record<string, unknown> = { user: result.user, accessToken: result.accessToken, tokenType: 'Bearer', expiresIn: result.expiresIn };
  if (bodyTransport) body.refreshToken = result.refresh.refreshToken;
  else setSessionCookies(ctx, res, result.refresh.refreshToken, result.refresh.sessionId);
  res.setHeader('Cache-Control', 'no-store');
  if (result.refresh.created) revokeIfUndelivered(ctx, res, result.refresh.sessionId);
  res.status(status).json(body);
}

export function authRoutes(ctx: AppContext): Router {
  const router = Router();
  const sameOrigin = requireAllowedOrigin(ctx.config.CORS_ORIGINS);
  const refreshTokenBody = z.object({ refreshToken: z.string().max(512).optional() });

  router.post(
    '/register',
    validateBody(
      z.object({ email: emailSchema, password: passwordSchema(ctx), displayName: displayNameSchema }).superRefine((body, issueCtx) => {
        for (const issue of checkPasswordAgainstEmail(body.password, body.email)) issueCtx.addIssue({ code: 'custom', path: ['password'], message: issue.message });
      }),
    ),
    async (req, res) => {
      sendSignedIn(ctx, res, await register(ctx, req.body, requestMeta(req)), wantsBodyTransport(req), 201);
    },
  );

  router.post(
    '/login',
    validateBody(z.object({ email: z.string({ message: 'Enter your email address.' }).max(320), password: z.string({ message: 'Enter your password.' }).max(1024) })),
    async (req, res) => {
      const outcome = await login(ctx, req.body, requestMeta(req));
      if (outcome.kind === 'mfa_required') {
        res.setHeader('Cache-Control', 'no-store');
        res.json(await createMfaChallenge(ctx, outcome.user, 'pwd'));
        return;
      }
      sendSignedIn(ctx, res, outcome.result, wantsBodyTransport(req));
    },
  );

  router.post('/refresh', sameOrigin, validateBody(refreshTokenBody), async (req, res) => {
    const fromCookie = readCookie(req, REFRESH_COOKIE);
    const presented = fromCookie ?? (req.body.refreshToken as string | undefined);
    // A token that came in the HttpOnly cookie goes back only in the cookie, whatever
    // X-Token-Transport says: in JSON it would be readable by any script running on the page.
    const bodyTransport = fromCookie === undefined;
    try {
      if (!presented) throw unauthenticated();
      sendSignedIn(ctx, res, await refresh(ctx, presented, requestMeta(req)), bodyTransport);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) clearSessionCookies(ctx, res);
      throw error;
    }
  });

  router.post('/logout', sameOrigin, validateBody(refreshTokenBody), async (req, res) => {
    const presented = readCookie(req, REFRESH_COOKIE) ?? req.body.refreshToken;
    if (presented) await revokeByRefreshToken(ctx, presented, requestMeta(req));
    clearSessionCookies(ctx, res);
    res.status(204).end();
  });

  router.post('/logout-all', requireAuth, async (req, res) => {
    const meta = requestMeta(req);
    await revokeUserSessions(ctx, req.auth!.sub, { reason: 'logout_all', audit: { type: 'logout.all', meta } });
    clearSessionCookies(ctx, res);
    res.status(204).end();
  });

  router.get('/me', requireAuth, async (req, res) => {
    const user = await findUserById(ctx.db, req.auth!.sub);
    if (!user) throw new ApiError(401, 'INVALID_TOKEN', 'This account no longer exists.', undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ user: toPublicUser(user) });
  });

  // Not in the contract (openapi/profile.ts): a new display name (that field only: no role, no
  // email), and deleting one's own account.
  router.patch('/me', requireAuth, validateBody(z.strictObject({ displayName: displayNameSchema })), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ user: await updateDisplayName(ctx, req.auth!.sub, req.body.displayName, requestMeta(req)) });
  });

  router.delete('/me', requireAuth, validateBody(deletionProof), async (req, res) => {
    await deleteOwnAccount(ctx, { userId: req.auth!.sub, sessionId: req.auth!.sid }, req.body, requestMeta(req));
    clearSessionCookies(ctx, res);
    res.status(204).end();
  });

  router.get('/sessions', requireAuth, async (req, res) => {
    const rows = await listLiveSessions(ctx.db, req.auth!.sub);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ sessions: rows.map((s) => toPublicSession(s, req.auth!.sid)) });
  });

  router.delete('/sessions/:id', requireAuth, async (req, res) => {
    const id = String(req.params.id);
    const { sub } = req.auth!;
    if (!UUID.test(id)) throw notFound('No such session.');
    const revoked = await revokeUserSessions(ctx, sub, { only: id.toLowerCase(), reason: 'revoked_by_user', audit: { type: 'session.revoked', meta: requestMeta(req), details: { sessionId: id } } });
    if (revoked === 0) throw notFound('No such session.');
    res.status(204).end();
  });

  /**
   * Not in the contract: lets the web app's server learn, from the signed session cookie, whether
   * a page request belongs to a live session and whose it is. It rotates nothing and returns no token.
   */
  router.get('/session', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const sessionId = readSessionCookie(ctx, req);
    const found = sessionId ? await findLiveSessionWithUser(ctx.db, sessionId) : undefined;
    if (!found) throw unauthenticated();
    const { session, user } = found;
    // amr and adminRequiresMfa let the web app explain an admin 403 (not in the contract).
    res.json({ user: toPublicUser(user), session: { id: session.id, expiresAt: session.expiresAt.toISOString(), amr: session.amr }, adminRequiresMfa: ctx.config.ADMIN_REQUIRE_MFA });
  });

  return router;
}
