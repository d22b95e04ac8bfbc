import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { hmac, safeEqual } from '../services/secrets.js';

/**
 * The two cookies the API sets for browsers:
 * - `refresh_token` (contract): the refresh token, only ever sent to /api/auth, SameSite=Strict.
 * - `portcullis_session`: the session id signed with a key derived from SECRET_KEY, so the web
 *   app's server can tell whether a page request belongs to a live session (GET /api/auth/session)
 *   and render it. It grants nothing else: no token can be obtained with it.
 */
export const REFRESH_COOKIE = 'refresh_token';
export const SESSION_COOKIE = 'portcullis_session';
const REFRESH_PATH = '/api/auth';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  try {
    return parse(header)[name] || undefined;
  } catch {
    return undefined;
  }
}

export function setSessionCookies(ctx: AppContext, res: Response, refreshToken: string, sessionId: string): void {
  const maxAge = Math.floor(ctx.config.JWT_REFRESH_TTL / 1000);
  const secure = ctx.config.COOKIE_SECURE;
  res.append('Set-Cookie', serialize(REFRESH_COOKIE, refreshToken, { httpOnly: true, sameSite: 'strict', path: REFRESH_PATH, maxAge, secure }));
  res.append('Set-Cookie', serialize(SESSION_COOKIE, signSessionId(ctx, sessionId), { httpOnly: true, sameSite: 'lax', path: '/', maxAge, secure }));
}

export function clearSessionCookies(ctx: AppContext, res: Response): void {
  const secure = ctx.config.COOKIE_SECURE;
  res.append('Set-Cookie', serialize(REFRESH_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: REFRESH_PATH, maxAge: 0, secure }));
  res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 0, secure }));
}

function signSessionId(ctx: AppContext, sessionId: string): string {
  return `${sessionId}.${hmac(ctx.keys.sessionCookie, sessionId)}`;
}

export function readSessionCookie(ctx: AppContext, req: Request): string | undefined {
  const value = readCookie(req, SESSION_COOKIE);
  const [sessionId, signature, extra] = value?.split('.') ?? [];
  if (!sessionId || !signature || extra !== undefined) return undefined;
  return safeEqual(signature, hmac(ctx.keys.sessionCookie, sessionId)) ? sessionId : undefined;
}
