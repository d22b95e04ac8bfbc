import type { Request, Response } from 'express';
import { COOKIE_NAMES } from '@portcullis/contract/cookies';
import type { AppContext } from '../context.js';
import { hmac, safeEqual } from '../services/secrets.js';
import { defineCookie, readCookies } from './cookie.js';

/**
 * The two cookies the API sets for browsers:
 * - `refresh_token` (contract): the refresh token, only ever sent to /api/auth, SameSite=Strict.
 * - `portcullis_session`: the session id signed with a key derived from SECRET_KEY, so the web
 *   app's server can tell whether a page request belongs to a live session (GET /api/auth/session)
 *   and render it. It grants nothing else: no token can be obtained with it.
 * Both live as long as the refresh token (JWT_REFRESH_TTL).
 */
const refreshLifetime = (config: { JWT_REFRESH_TTL: number }) => Math.floor(config.JWT_REFRESH_TTL / 1000);
export const refreshCookie = defineCookie({ name: COOKIE_NAMES.refresh, path: '/api/auth', sameSite: 'strict', maxAge: refreshLifetime });
export const sessionCookie = defineCookie({ name: COOKIE_NAMES.session, path: '/', sameSite: 'lax', maxAge: refreshLifetime });

export const REFRESH_COOKIE = refreshCookie.name;
export const SESSION_COOKIE = sessionCookie.name;

/** Kept for the routes that read a cookie by name (REFRESH_COOKIE); prefer refreshCookie.read. */
export function readCookie(req: Request, name: string): string | undefined {
  return readCookies(req)[name] || undefined;
}

export function setSessionCookies(ctx: AppContext, res: Response, refreshToken: string, sessionId: string): void {
  refreshCookie.set(ctx, res, refreshToken);
  sessionCookie.set(ctx, res, signSessionId(ctx, sessionId));
}

export function clearSessionCookies(ctx: AppContext, res: Response): void {
  refreshCookie.clear(ctx, res);
  sessionCookie.clear(ctx, res);
}

function signSessionId(ctx: AppContext, sessionId: string): string {
  return `${sessionId}.${hmac(ctx.keys.sessionCookie, sessionId)}`;
}

export function readSessionCookie(ctx: AppContext, req: Request): string | undefined {
  const value = sessionCookie.read(req);
  const [sessionId, signature, extra] = value?.split('.') ?? [];
  if (!sessionId || !signature || extra !== undefined) return undefined;
  return safeEqual(signature, hmac(ctx.keys.sessionCookie, sessionId)) ? sessionId : undefined;
}
