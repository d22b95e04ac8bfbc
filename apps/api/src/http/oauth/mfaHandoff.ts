import type { Request, Response } from 'express';
import { MFA_METHODS, type MfaMethod } from '@portcullis/contract';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { defineSealedCookie, SKEW_SECONDS } from '../sealedCookie.js';
import { randomToken } from '../../services/secrets.js';
import { claimUsedToken } from '../../services/usedTokens.js';

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
 * 300 s (the mfaToken's own lifetime); sealed (http/sealedCookie.ts, purpose `oauth-mfa`), expiring with it.
 *
 * Single use on the server, not only by clearing it: each hand-off carries a random id, and opening
 * it records that id in `used_tokens` (purpose `oauth_mfa_handoff`, shared by every instance) until
 * the cookie would have expired. A copy of the cookie replayed later, here or elsewhere, opens nothing.
 */

const MFA_TTL_MS = 5 * 60_000;

const shape = z.object({
  mfaToken: z.string().min(1).max(4096),
  methods: z.array(z.enum(MFA_METHODS)).max(8),
  redirect: z.string().max(2048),
  id: z.string().min(20).max(64),
});

const mfaCookie = defineSealedCookie({
  name: 'portcullis_oauth_mfa',
  path: '/api/auth/oauth/mfa',
  sameSite: 'strict',
  maxAge: MFA_TTL_MS / 1000,
  purpose: 'oauth-mfa',
  shape,
});
export const MFA_COOKIE = mfaCookie.name;

export interface MfaHandoff {
  mfaToken: string;
  methods: MfaMethod[];
  redirect: string;
}

export async function setMfaCookie(ctx: AppContext, res: Response, handoff: MfaHandoff): Promise<void> {
  await mfaCookie.set(ctx, res, { ...handoff, id: randomToken(16) });
}

export function clearMfaCookie(ctx: AppContext, res: Response): void {
  mfaCookie.clear(ctx, res);
}

/** Opens the hand-off once: undefined for no cookie, a bad or expired one, or one opened before. */
export async function redeemMfaCookie(ctx: AppContext, req: Request, now?: number): Promise<MfaHandoff | undefined> {
  const opened = await mfaCookie.open(ctx, req, now);
  if (!opened.ok) return undefined;
  const { id, mfaToken, methods, redirect } = opened.value;
  // Kept until the cookie could no longer open anyway (issued-at + TTL, plus the tolerated skew).
  const firstUse = await claimUsedToken(ctx.db, 'oauth_mfa_handoff', id, new Date(opened.issuedAt + MFA_TTL_MS + SKEW_SECONDS * 1000));
  if (!firstUse) return undefined;
  return { mfaToken, methods, redirect };
}
