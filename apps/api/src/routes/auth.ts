import type { Response } from 'express';
import { auth as endpoints, type AuthResult } from '@portcullis/contract';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { clearSessionCookies, readSessionCookie, refreshCookie, setSessionCookies } from '../http/cookies.js';
import { requireAllowedOrigin } from '../http/middleware/csrf.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { revokeIfUndelivered } from '../http/undelivered.js';
import { login, refresh, register, type SignedIn } from '../services/auth.js';
import { ApiError, invalidBearer, notFound, unauthenticated } from '../services/errors.js';
import { createMfaChallenge } from '../services/mfa.js';
import { checkPasswordAgainstEmail, checkPasswordPolicy, configuredPasswordPolicy } from '../services/passwords.js';
import { deleteOwnAccount, updateDisplayName } from '../services/profile.js';
import { currentUser, liveSession } from '../services/identities.js';
import { sayWhySessionEnded } from '../http/sessionEnded.js';
import { listLiveSessions, revokeByRefreshToken, revokeUserSessions, toPublicSession } from '../services/sessions.js';

/**
 * The core auth endpoints (packages/contract routes/auth.ts): sign-up, sign-in, the token flow,
 * sessions; beyond the contract, a new display name, deleting one's own account and the web app
 * server's session check. Thin: call a service, set or clear the cookies, shape the answer.
 */

/** Non-browser clients ask for the refresh token in the JSON body instead of a cookie. */
export const wantsBodyTransport = (req: { get(name: string): string | undefined }) => req.get('x-token-transport')?.toLowerCase() === 'body';

/**
 * The answer to a sign-in: the refresh token goes in the cookies, or in the body for a client that
 * asked for it; a session created by this request is revoked if the answer never leaves (http/undelivered.ts).
 */
export function signedIn(ctx: AppContext, res: Response, result: SignedIn, bodyTransport: boolean): AuthResult {
  const body: AuthResult = { user: result.user, accessToken: result.accessToken, tokenType: 'Bearer', expiresIn: result.expiresIn };
  if (bodyTransport) body.refreshToken = result.refresh.refreshToken;
  else setSessionCookies(ctx, res, result.refresh.refreshToken, result.refresh.sessionId);
  if (result.refresh.created) revokeIfUndelivered(ctx, res, result.refresh.sessionId);
  return body;
}

/** A new password under the configured policy (PASSWORD_MIN_LENGTH, PASSWORD_REQUIRE_CLASSES). */
function passwordSchema(ctx: AppContext) {
  const policy = configuredPasswordPolicy(ctx.config);
  return z.string({ message: 'Enter a password.' }).superRefine((value, issueCtx) => {
    for (const issue of checkPasswordPolicy(value, policy)) issueCtx.addIssue({ code: 'custom', message: issue.message });
  });
}

/**
 * The register body with the configured policy and the email rule inside the schema, not in a
 * `check`: a check runs only once the static rules pass, and register answers every invalid field
 * at once (a weak password beside a malformed email: test/http/conventions.test.ts). The
 * documented shape is the contract's; the rules are zod's refinements, which add nothing to it.
 */
function registerEndpoint(ctx: AppContext) {
  const { body } = endpoints.register;
  const password = passwordSchema(ctx).meta(body.shape.password.meta() ?? {});
  const withRules = body.extend({ password }).superRefine((value, issues) => {
    for (const issue of checkPasswordAgainstEmail(value.password, value.email)) issues.addIssue({ code: 'custom', path: ['password'], message: issue.message });
  });
  return { ...endpoints.register, body: withRules };
}

export function coreAuthRoutes(ctx: AppContext): Route[] {
  // Refresh and logout act on the refresh cookie: a cross-site request is refused before the body is read.
  const sameOrigin = requireAllowedOrigin(ctx.config.CORS_ORIGINS);

  return [
    route(registerEndpoint(ctx), {
      handler: async ({ req, res, body }) => signedIn(ctx, res, await register(ctx, body, requestMeta(req)), wantsBodyTransport(req)),
    }),

    route(endpoints.login, {
      async handler({ req, res, body }) {
        const outcome = await login(ctx, body, requestMeta(req));
        if (outcome.kind === 'mfa_required') return createMfaChallenge(ctx, outcome.user, 'pwd');
        return signedIn(ctx, res, outcome.result, wantsBodyTransport(req));
      },
    }),

    route(endpoints.refresh, {
      guards: [sameOrigin],
      async handler({ req, res, body }) {
        const fromCookie = refreshCookie.read(req);
        const presented = fromCookie ?? body.refreshToken;
        // A token that came in the HttpOnly cookie goes back only in the cookie, whatever
        // X-Token-Transport says: in JSON it would be readable by any script running on the page.
        const bodyTransport = fromCookie === undefined;
        try {
          if (!presented) throw unauthenticated();
          return signedIn(ctx, res, await refresh(ctx, presented, requestMeta(req)), bodyTransport);
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) {
            // Said before the cookies go: once they are cleared, the page can no longer ask why.
            await sayWhySessionEnded(ctx, req, res);
            clearSessionCookies(ctx, res);
          }
          throw error;
        }
      },
    }),

    route(endpoints.logout, {
      guards: [sameOrigin],
      async handler({ req, res, body }) {
        const presented = refreshCookie.read(req) ?? body.refreshToken;
        if (presented) await revokeByRefreshToken(ctx, presented, requestMeta(req));
        clearSessionCookies(ctx, res);
      },
    }),

    route(endpoints.logoutAll, {
      async handler({ req, res, auth }) {
        await revokeUserSessions(ctx, auth.sub, { reason: 'logout_all', audit: { type: 'logout.all', meta: requestMeta(req) } });
        clearSessionCookies(ctx, res);
      },
    }),

    route(endpoints.me, {
      async handler({ auth }) {
        const user = await currentUser(ctx, auth.sub);
        if (!user) throw invalidBearer('This account no longer exists.');
        return { user };
      },
    }),

    // Not in the contract: a new display name (that field only: no role, no email).
    route(endpoints.updateMe, {
      handler: async ({ req, auth, body }) => ({ user: await updateDisplayName(ctx, auth.sub, body.displayName, requestMeta(req)) }),
    }),

    // Not in the contract: deleting one's own account, with the proof services/profile.ts asks for.
    route(endpoints.deleteMe, {
      async handler({ req, res, auth, body }) {
        await deleteOwnAccount(ctx, { userId: auth.sub, sessionId: auth.sid }, body, requestMeta(req));
        clearSessionCookies(ctx, res);
      },
    }),

    route(endpoints.listSessions, {
      async handler({ auth }) {
        const rows = await listLiveSessions(ctx.db, auth.sub);
        return { sessions: rows.map((s) => toPublicSession(s, auth.sid)) };
      },
    }),

    route(endpoints.revokeSession, {
      async handler({ req, auth, params }) {
        const only = params.id;
        // The audit names the id as it was sent (the route lower-cases it for the lookup).
        const details = { sessionId: String(req.params.id) };
        const revoked = await revokeUserSessions(ctx, auth.sub, {
          only,
          reason: 'revoked_by_user',
          audit: { type: 'session.revoked', meta: requestMeta(req), details },
        });
        if (revoked === 0) throw notFound(endpoints.revokeSession.notFound);
      },
    }),

    /**
     * Not in the contract: lets the web app's server learn, from the signed session cookie, whether
     * a page request belongs to a live session and whose it is. It rotates nothing and returns no token.
     */
    route(endpoints.session, {
      async handler({ req, res }) {
        const sessionId = readSessionCookie(ctx, req);
        const found = sessionId ? await liveSession(ctx, sessionId) : undefined;
        if (!found) {
          await sayWhySessionEnded(ctx, req, res);
          throw unauthenticated();
        }
        const { session, user } = found;
        // amr and adminRequiresMfa let the web app explain an admin 403 (not in the contract).
        return {
          user,
          session: { id: session.id, expiresAt: new Date(session.expiresAt).toISOString(), amr: session.amr },
          adminRequiresMfa: ctx.config.ADMIN_REQUIRE_MFA,
        };
      },
    }),
  ];
}
