import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { decrypt, encrypt, randomToken } from '../secrets.js';
import { claimUsedToken } from '../usedTokens.js';

/**
 * Handing the MFA challenge of an OAuth sign-in to the web app without a token in a URL.
 *
 * The provider's callback is a browser navigation, so the API cannot answer it with JSON the way
 * POST /login does. Putting the mfaToken in the redirect URL would leak it to history, logs and
 * Referer (and the contract reads no token from a URL). Instead the callback sets a short-lived
 * cookie holding the sealed mfaToken and redirects to `/login?mfa=oauth`; the login page then calls
 * `POST /api/auth/oauth/mfa` (same origin, checked), which opens the cookie once, clears it and
 * returns `{ mfaRequired, mfaToken, methods, redirect }`, exactly what a password login returns. The
 * second step is the ordinary `POST /api/auth/login/mfa`.
 *
 * The cookie: HttpOnly; Path=/api/auth/oauth/mfa (sent to that endpoint only); SameSite=Strict
 * (it is only ever read by a same-origin fetch, so no cross-site request can carry it); Max-Age
 * 300 s (the mfaToken's own lifetime); encrypted under the OAuth key, with a kind and issued-at.
 *
 * Single use on the server, not only by clearing it: each hand-off carries a random id, and opening
 * it records that id in `used_tokens` (purpose `oauth_mfa_handoff`, shared by every instance) until
 * the cookie would have expired. A copy of the cookie replayed later, here or elsewhere, opens nothing.
 */

export const MFA_COOKIE = 'portcullis_oauth_mfa';
const MFA_PATH = '/api/auth/oauth/mfa';
const MFA_TTL_MS = 5 * 60_000;

const shape = z.object({
  v: z.literal(1),
  kind: z.literal('oauth_mfa'),
  mfaToken: z.string().min(1).max(4096),
  methods: z.array(z.string().max(32)).max(8),
  redirect: z.string().max(2048),
  id: z.string().min(20).max(64),
  issuedAt: z.number().int(),
});

export interface MfaHandoff {
  mfaToken: string;
  methods: string[];
  redirect: string;
}

export function setMfaCookie(ctx: AppContext, res: Response, handoff: MfaHandoff): void {
  const sealed = encrypt(ctx.keys.oauthState, JSON.stringify({ v: 1, kind: 'oauth_mfa', ...handoff, id: randomToken(16), issuedAt: Date.now() }));
  res.append('Set-Cookie', serialize(MFA_COOKIE, sealed, { httpOnly: true, sameSite: 'strict', path: MFA_PATH, maxAge: MFA_TTL_MS / 1000, secure: ctx.config.COOKIE_SECURE }));
}

export function clearMfaCookie(ctx: AppContext, res: Response): void {
  res.append('Set-Cookie', serialize(MFA_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: MFA_PATH, maxAge: 0, secure: ctx.config.COOKIE_SECURE }));
}

/** Opens the hand-off once: undefined for no cookie, a bad or expired one, or one opened before. */
export async function redeemMfaCookie(ctx: AppContext, req: Request, now = Date.now()): Promise<MfaHandoff | undefined> {
  const value = openMfaCookie(ctx, req, now);
  if (!value) return undefined;
  // Kept until the cookie could no longer open anyway (issued-at + TTL, plus the tolerated skew).
  const firstUse = await claimUsedToken(ctx.db, 'oauth_mfa_handoff', value.id, new Date(value.issuedAt + MFA_TTL_MS + 60_000));
  if (!firstUse) return undefined;
  return { mfaToken: value.mfaToken, methods: value.methods, redirect: value.redirect };
}

function openMfaCookie(ctx: AppContext, req: Request, now: number): z.infer<typeof shape> | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  try {
    const sealed = parse(header)[MFA_COOKIE];
    if (!sealed) return undefined;
    const value = shape.parse(JSON.parse(decrypt(ctx.keys.oauthState, sealed)));
    if (value.issuedAt > now + 60_000 || now - value.issuedAt > MFA_TTL_MS) return undefined;
    return value;
  } catch {
    return undefined;
  }
}
