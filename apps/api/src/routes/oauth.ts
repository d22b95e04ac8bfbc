import type { Request, Response } from 'express';
import { oauth as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { readSessionCookie, setSessionCookies } from '../http/cookies.js';
import { requireAllowedOrigin } from '../http/middleware/csrf.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { recordAudit } from '../services/audit.js';
import { startSession } from '../services/auth.js';
import { resendVerificationWithinLimit } from '../services/emailVerification.js';
import { ApiError, notFound } from '../services/errors.js';
import { createMfaChallenge } from '../services/mfa.js';
import { linkIdentity, listIdentities, resolveLogin, unlinkIdentity } from '../services/oauth/accounts.js';
import type { OAuthErrorCode } from '../services/oauth/errorCodes.js';
import { confirmLinkRequest } from '../services/oauth/linkProof.js';
import { clearMfaCookie, redeemMfaCookie, setMfaCookie } from '../http/oauth/mfaHandoff.js';
import { setPendingLinkCookie } from '../http/oauth/pendingLink.js';
import { beginAuthorization, completeAuthorization, OAuthFlowError } from '../services/oauth/protocol.js';
import { OAuthProviders, trustsEmailOf, type ProviderDefinition } from '../services/oauth/providers.js';
import { safeRedirectPath } from '../services/oauth/redirects.js';
import { clearStateCookie, openState, readStateCookie, setStateCookie, stateCookieName, type FlowIntent, type FlowState } from '../http/oauth/stateCookie.js';
import { UsedStates } from '../services/oauth/usedStates.js';
import { findLiveSession } from '../services/sessions.js';
import { findUserById } from '../services/users.js';
import { webLink } from '../services/webLinks.js';
import { WEB_PAGES } from '@portcullis/contract/webPages';

/**
 * Sign-in with Google, GitHub and any OpenID Connect provider (`/api/auth/oauth`).
 * The callback is a browser navigation: every outcome is a 302 to the web app, failures to
 * `/login?error=<code>` (or `/settings/security?error=<code>` for a link flow), never a page of JSON.
 * The redirect handlers write their answer themselves and return nothing.
 */

const SETTINGS_PATH = WEB_PAGES.securitySettings;

export type { OAuthErrorCode };

export function oauthRoutes(ctx: AppContext): Route[] {
  const web = ctx.config.WEB_URL;
  const providers = new OAuthProviders(ctx.config);
  const usedStates = new UsedStates(ctx.db, ctx.redis, (error) =>
    ctx.logger.warn({ err: { message: error.message } }, 'oauth: redis unavailable for used-state markers'),
  );
  // The web app proxies /api/* to the API, so the provider comes back to the web app's origin
  // and the cookies set here are first-party there.
  const callbackUrl = (provider: ProviderDefinition) => `${web}/api/auth/oauth/${provider.id}/callback`;

  // `:provider` is a name, not an id: an unknown or unconfigured one is a 404.
  const providerOr404 = (params: Record<string, string>): ProviderDefinition => {
    const provider = providers.get(String(params.provider));
    if (!provider) throw notFound('No such sign-in provider.');
    return provider;
  };

  async function startFlow(req: Request, res: Response, provider: ProviderDefinition, intent: FlowIntent, redirect: string): Promise<URL> {
    const { url, secrets } = await beginAuthorization(providers, provider, callbackUrl(provider));
    const flow: FlowState = { ...secrets, provider: provider.id, redirect, intent, issuedAt: Date.now() };
    await setStateCookie(ctx, req, res, flow);
    return url;
  }

  // The web app's pages come from the contract's list, as in every mail (services/webLinks.ts);
  // only the person's own return path, already checked same-origin by safeRedirectPath, is joined here.
  const page = (name: 'login' | 'securitySettings', query: Record<string, string>) => webLink(ctx.config, name, query);
  const returnTo = (path: string) => new URL(path, web).toString();

  return [
    route(endpoints.listProviders, {
      handler: () => ({ providers: providers.list().map(({ id, name }) => ({ id, name })) }),
    }),

    route(endpoints.authorize, {
      async handler({ req, res, params, query }) {
        const provider = providerOr404(params);
        const redirect = safeRedirectPath(query.redirect, web);
        try {
          res.redirect(302, (await startFlow(req, res, provider, { kind: 'login' }, redirect)).href);
        } catch (error) {
          if (!(error instanceof OAuthFlowError)) throw error;
          ctx.logger.warn({ provider: provider.id, reason: error.reason }, 'oauth: provider unavailable');
          res.redirect(302, page('login', { error: error.code }));
        }
      },
    }),

    /**
     * Linking starts from a POST with the bearer token (a navigation carries none) and answers the
     * provider URL; only from the holder's own browser, re-authenticated (services/oauth/linkProof.ts).
     * Order as always: token → body → provider → session cookie → re-authentication.
     */
    route(endpoints.startLink, {
      async handler({ req, res, auth, body, params }) {
        const provider = providerOr404(params);
        const { sub, sid } = auth;
        await confirmLinkRequest(ctx, { userId: sub, sessionId: sid, cookieSessionId: readSessionCookie(ctx, req) }, body, requestMeta(req));
        try {
          const url = await startFlow(req, res, provider, { kind: 'link', userId: sub, sessionId: sid }, SETTINGS_PATH);
          return { url: url.href };
        } catch (error) {
          if (!(error instanceof OAuthFlowError)) throw error;
          throw new ApiError(503, 'SERVICE_UNAVAILABLE', `${provider.name} cannot be reached right now. Try again later.`);
        }
      },
    }),

    route(endpoints.callback, {
      async handler({ req, res, params, query }) {
        const provider = providerOr404(params);
        const meta = requestMeta(req);
        // Whatever happens next, this flow's cookie is spent (other flows' cookies are left alone).
        const sealed = readStateCookie(req, query.state);
        const cookieName = stateCookieName(query.state);
        if (cookieName) clearStateCookie(ctx, res, cookieName);

        const fail = async (code: OAuthErrorCode, reason: string, intent?: FlowIntent) => {
          const userId = intent?.kind === 'link' ? intent.userId : null;
          await recordAudit(ctx.db, {
            type: 'login.failed',
            userId,
            actorId: userId,
            meta,
            details: { method: 'oauth', provider: provider.id, intent: intent?.kind ?? 'unknown', code, reason },
          });
          res.redirect(302, page(intent?.kind === 'link' ? 'securitySettings' : 'login', { error: code }));
        };

        const opened = await openState(ctx.keys.oauthState, sealed, { provider: provider.id, state: query.state });
        if (!opened.ok) return fail('oauth_state_invalid', opened.reason);
        const { flow } = opened;
        if (!(await usedStates.claim(flow.state))) return fail('oauth_state_invalid', 'replayed', flow.intent);

        const providerError = query.error;
        if (providerError !== undefined) {
          const code = providerError === 'access_denied' ? 'oauth_access_denied' : 'oauth_provider_error';
          return fail(code, `provider error: ${String(providerError).slice(0, 64)}`, flow.intent);
        }

        // The provider's parameters exactly as they came, for the library's own checks.
        const returned = new URL(callbackUrl(provider));
        returned.search = new URL(req.originalUrl, 'http://callback.invalid').search;
        let profile;
        try {
          const claimed = await completeAuthorization(providers, provider, returned, flow);
          // From here on, "verified" means verified by a provider whose word is believed (providers.ts).
          profile = { ...claimed, emailVerified: claimed.emailVerified && trustsEmailOf(ctx.config, provider.id) };
        } catch (error) {
          if (!(error instanceof OAuthFlowError)) throw error;
          ctx.logger.warn({ provider: provider.id, code: error.code, reason: error.reason }, 'oauth: callback failed');
          return fail(error.code, error.reason, flow.intent);
        }

        if (flow.intent.kind === 'link') {
          const { userId, sessionId } = flow.intent;
          const session = await findLiveSession(ctx.db, sessionId);
          if (!session || session.userId !== userId) return fail('oauth_link_session_expired', 'session ended before the link completed', flow.intent);
          // The flow finishes in the browser of the session that started it, not one it was handed to.
          if (readSessionCookie(ctx, req) !== sessionId) return fail('oauth_link_wrong_browser', 'no session cookie of the starting session', flow.intent);
          const result = await linkIdentity(ctx, userId, provider.id, profile, meta);
          if (result === 'identity_in_use') return fail('oauth_identity_in_use', result, flow.intent);
          if (result === 'provider_already_linked') return fail('oauth_provider_already_linked', result, flow.intent);
          return res.redirect(302, page('securitySettings', { linked: provider.id }));
        }

        const resolution = await resolveLogin(ctx, provider.id, profile, meta);
        if (resolution.kind === 'no_email') return fail('oauth_email_missing', 'provider shared no email');
        if (resolution.kind === 'email_conflict') return fail('oauth_email_unverified_conflict', resolution.reason);
        const { user } = resolution;
        const how = resolution.kind === 'signed_in' ? resolution.how : 'known';
        if (ctx.config.REQUIRE_EMAIL_VERIFICATION && !user.emailVerifiedAt) {
          // A new account was mailed its link as it was created; a returning one gets a fresh link.
          if (how !== 'created') await resendVerificationWithinLimit(ctx, user.id, meta);
          return fail('oauth_email_not_verified', 'email not verified');
        }

        if (user.lockedAt) return fail('oauth_account_locked', 'account locked');
        const redirect = safeRedirectPath(flow.redirect, web);
        if (user.mfaEnabled) {
          const challenge = await createMfaChallenge(ctx, user, 'fed');
          await setMfaCookie(ctx, res, { mfaToken: challenge.mfaToken, methods: challenge.methods, redirect });
          // Linked only once the second factor is passed (http/oauth/pendingLink.ts).
          if (resolution.kind === 'link_after_mfa')
            await setPendingLinkCookie(ctx, res, { userId: user.id, mfaToken: challenge.mfaToken, provider: provider.id, profile });
          return res.redirect(302, page('login', { mfa: 'oauth' }));
        }
        const signedIn = await startSession(ctx, user, meta, ['fed'], { method: 'oauth', provider: provider.id, how });
        setSessionCookies(ctx, res, signedIn.refresh.refreshToken, signedIn.refresh.sessionId);
        res.redirect(302, returnTo(redirect));
      },
    }),

    /** The second half of the MFA hand-off (see http/oauth/mfaHandoff.ts): opens the cookie once. */
    route(endpoints.redeemMfaHandoff, {
      guards: [requireAllowedOrigin(ctx.config.CORS_ORIGINS)],
      async handler({ req, res }) {
        const handoff = await redeemMfaCookie(ctx, req);
        clearMfaCookie(ctx, res);
        if (!handoff) throw new ApiError(401, 'INVALID_TOKEN', 'This sign-in has expired. Sign in again.');
        return { mfaRequired: true as const, mfaToken: handoff.mfaToken, methods: handoff.methods, redirect: handoff.redirect };
      },
    }),

    route(endpoints.listLinkedAccounts, {
      async handler({ auth }) {
        const [rows, user] = await Promise.all([listIdentities(ctx.db, auth.sub), findUserById(ctx.db, auth.sub)]);
        return {
          // The web app shows "set a password first" instead of an Unlink that would be refused.
          hasPassword: Boolean(user?.passwordHash),
          accounts: rows.map((r) => ({
            id: r.id,
            provider: r.provider,
            name: providers.get(r.provider)?.name ?? r.provider,
            email: r.email,
            linkedAt: r.linkedAt.toISOString(),
            enabled: providers.get(r.provider) !== undefined,
          })),
        };
      },
    }),

    route(endpoints.unlinkAccount, {
      async handler({ auth, params, req }) {
        const enabled = new Set(providers.list().map((p) => p.id as string));
        await unlinkIdentity(ctx, auth.sub, params.id, enabled, requestMeta(req));
      },
    }),
  ];
}
