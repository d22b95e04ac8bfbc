import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext, RequestMeta } from '../../context.js';
import { defineSealedCookie } from '../sealedCookie.js';
import { safeEqual, sha256 } from '../../services/secrets.js';
import { linkByVerifiedEmail } from '../../services/oauth/accounts.js';
import { PROVIDER_IDS, type ProviderId } from '../../services/oauth/providers.js';
import type { ProviderProfile } from '../../services/oauth/protocol.js';

/**
 * The automatic link of a provider sign-in into an account with MFA, held back until the second
 * factor is passed. Linking at the callback would let anyone with an identity that shares the
 * address add a lasting way in without ever passing the second factor; so the callback only
 * remembers the identity, and `POST /api/auth/login/mfa` links it when the code was right.
 *
 * It travels in its own cookie, bound to the one MFA challenge it belongs to (the SHA-256 of its
 * mfaToken) and to the account: HttpOnly; Path=/api/auth/login/mfa; SameSite=Strict; Max-Age 300
 * (the challenge's lifetime); sealed (http/sealedCookie.ts, purpose `oauth-pending-link`). A challenge finished without it (another
 * client, cookies refused) simply signs in without linking; the next provider sign-in asks again.
 */

const TTL_MS = 5 * 60_000;

const shape = z.object({
  userId: z.uuid(),
  challenge: z.string().length(64),
  provider: z.enum(PROVIDER_IDS),
  profile: z.object({
    subject: z.string().min(1).max(512),
    email: z.string().max(320).nullable(),
    emailVerified: z.boolean(),
    name: z.string().max(512).nullable(),
  }),
});

const pendingLinkCookie = defineSealedCookie({
  name: 'portcullis_oauth_link',
  path: '/api/auth/login/mfa',
  sameSite: 'strict',
  maxAge: TTL_MS / 1000,
  purpose: 'oauth-pending-link',
  shape,
});
export const PENDING_LINK_COOKIE = pendingLinkCookie.name;

export async function setPendingLinkCookie(
  ctx: AppContext,
  res: Response,
  link: { userId: string; mfaToken: string; provider: ProviderId; profile: ProviderProfile },
): Promise<void> {
  const { userId, mfaToken, provider, profile } = link;
  await pendingLinkCookie.set(ctx, res, { userId, challenge: sha256(mfaToken), provider, profile });
}

/**
 * After a successful `login/mfa`: links the identity remembered for exactly this challenge and
 * account, if any (audited and mailed by linkByVerifiedEmail). The cookie is spent either way.
 */
export async function completePendingLink(
  ctx: AppContext,
  req: Request,
  res: Response,
  signedIn: { mfaToken: string; userId: string },
  meta: RequestMeta,
): Promise<void> {
  const opened = await pendingLinkCookie.open(ctx, req);
  if (!opened.ok) return;
  pendingLinkCookie.clear(ctx, res);
  const pending = opened.value;
  const forThisSignIn = pending.userId === signedIn.userId && safeEqual(pending.challenge, sha256(signedIn.mfaToken));
  if (!forThisSignIn) return;
  await linkByVerifiedEmail(ctx, pending.userId, pending.provider, pending.profile, meta);
}
