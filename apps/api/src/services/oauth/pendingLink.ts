import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext, RequestMeta } from '../../context.js';
import { decrypt, encrypt, safeEqual, sha256 } from '../secrets.js';
import { linkByVerifiedEmail } from './accounts.js';
import { PROVIDER_IDS, type ProviderId } from './providers.js';
import type { ProviderProfile } from './protocol.js';

/**
 * The automatic link of a provider sign-in into an account with MFA, held back until the second
 * factor is passed. Linking at the callback would let anyone with an identity that shares the
 * address add a lasting way in without ever passing the second factor; so the callback only
 * remembers the identity, and `POST /api/auth/login/mfa` links it when the code was right.
 *
 * It travels in its own cookie, bound to the one MFA challenge it belongs to (the SHA-256 of its
 * mfaToken) and to the account: HttpOnly; Path=/api/auth/login/mfa; SameSite=Strict; Max-Age 300
 * (the challenge's lifetime); encrypted under the OAuth key. A challenge finished without it (another
 * client, cookies refused) simply signs in without linking; the next provider sign-in asks again.
 */

export const PENDING_LINK_COOKIE = 'portcullis_oauth_link';
const PENDING_LINK_PATH = '/api/auth/login/mfa';
const TTL_MS = 5 * 60_000;

const shape = z.object({
  v: z.literal(1),
  kind: z.literal('oauth_pending_link'),
  userId: z.uuid(),
  challenge: z.string().length(64),
  provider: z.enum(PROVIDER_IDS),
  profile: z.object({ subject: z.string().min(1).max(512), email: z.string().max(320).nullable(), emailVerified: z.boolean(), name: z.string().max(512).nullable() }),
  issuedAt: z.number().int(),
});

export function setPendingLinkCookie(ctx: AppContext, res: Response, link: { userId: string; mfaToken: string; provider: ProviderId; profile: ProviderProfile }): void {
  const { userId, mfaToken, provider, profile } = link;
  const sealed = encrypt(ctx.keys.oauthState, JSON.stringify({ v: 1, kind: 'oauth_pending_link', userId, challenge: sha256(mfaToken), provider, profile, issuedAt: Date.now() }));
  res.append('Set-Cookie', serialize(PENDING_LINK_COOKIE, sealed, cookieOptions(ctx, TTL_MS / 1000)));
}

/**
 * After a successful `login/mfa`: links the identity remembered for exactly this challenge and
 * account, if any (audited and mailed by linkByVerifiedEmail). The cookie is spent either way.
 */
export async function completePendingLink(ctx: AppContext, req: Request, res: Response, signedIn: { mfaToken: string; userId: string }, meta: RequestMeta): Promise<void> {
  const pending = openPendingLink(ctx, req);
  if (!pending) return;
  res.append('Set-Cookie', serialize(PENDING_LINK_COOKIE, '', cookieOptions(ctx, 0)));
  const forThisSignIn = pending.userId === signedIn.userId && safeEqual(pending.challenge, sha256(signedIn.mfaToken));
  if (!forThisSignIn) return;
  await linkByVerifiedEmail(ctx, pending.userId, pending.provider, pending.profile, meta);
}

function openPendingLink(ctx: AppContext, req: Request, now = Date.now()): z.infer<typeof shape> | undefined {
  try {
    const sealed = req.headers.cookie ? parse(req.headers.cookie)[PENDING_LINK_COOKIE] : undefined;
    if (!sealed) return undefined;
    const value = shape.parse(JSON.parse(decrypt(ctx.keys.oauthState, sealed)));
    if (value.issuedAt > now + 60_000 || now - value.issuedAt > TTL_MS) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

function cookieOptions(ctx: AppContext, maxAge: number) {
  return { httpOnly: true, sameSite: 'strict' as const, path: PENDING_LINK_PATH, maxAge, secure: ctx.config.COOKIE_SECURE };
}
