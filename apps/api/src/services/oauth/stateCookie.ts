import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { decrypt, encrypt, safeEqual, sha256 } from '../secrets.js';
import { PROVIDER_IDS, type ProviderId } from './providers.js';
import type { FlowSecrets } from './protocol.js';

/**
 * The state of one OAuth flow, carried by the browser between /authorize and /callback.
 *
 * - Encrypted (AES-256-GCM under a key derived for this purpose only): the PKCE code verifier and
 *   the nonce must stay secret, and the tag makes any tampering fail to open.
 * - HttpOnly, Path=/api/auth/oauth, Max-Age=600, Secure when cookies are secure.
 * - SameSite=Lax, not Strict: the callback arrives by a cross-site top-level navigation (the
 *   provider redirects the browser back to us). Strict cookies are not sent with it, so the flow
 *   would always fail; Lax cookies are sent on top-level GET navigations and on nothing else
 *   cross-site, which is exactly the one request that needs it. (None is not needed: we use the
 *   query response mode, never a cross-site form POST.)
 * - Issued-at inside the sealed value: older than 10 minutes fails, whatever the browser kept.
 * - One use: the callback clears the cookie and remembers the state as used until it would have
 *   expired anyway, where every instance sees it (usedStates.ts).
 * - One cookie per flow, named after its state (`portcullis_oauth_<12 hex of SHA-256(state)>`): a
 *   second sign-in started in another tab gets a cookie of its own instead of overwriting the first
 *   one's, and the callback finds its own by the `state` the provider sends back. At most MAX_FLOWS
 *   live in a browser at once; starting another drops the oldest.
 */

export const STATE_COOKIE_PREFIX = 'portcullis_oauth_';
const STATE_PATH = '/api/auth/oauth';
export const STATE_TTL_MS = 10 * 60_000;
/** Tolerated clock skew between API instances for issued-at. */
export const SKEW_MS = 60_000;
/** Flows one browser may have under way at once (tabs); bounds the cookies it sends to /api/auth/oauth. */
export const MAX_FLOWS = 4;
const FLOW_NAME = /^portcullis_oauth_[0-9a-f]{12}$/;

/** The cookie of the flow with this state; undefined for a state that cannot be one of ours. */
export function stateCookieName(state: unknown): string | undefined {
  if (typeof state !== 'string' || state.length < 16 || state.length > 128) return undefined;
  return STATE_COOKIE_PREFIX + sha256(state).slice(0, 12);
}

export type FlowIntent = { kind: 'login' } | { kind: 'link'; userId: string; sessionId: string };

export interface FlowState extends FlowSecrets {
  provider: ProviderId;
  /** A relative path on the web app, already checked by safeRedirectPath. */
  redirect: string;
  intent: FlowIntent;
  issuedAt: number;
}

const sealedShape = z.object({
  v: z.literal(1),
  kind: z.literal('oauth_state'),
  provider: z.enum(PROVIDER_IDS),
  state: z.string().min(16).max(128),
  codeVerifier: z.string().min(43).max(128),
  nonce: z.string().min(16).max(128).optional(),
  redirect: z.string().max(2048),
  intent: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('login') }),
    z.object({ kind: z.literal('link'), userId: z.uuid(), sessionId: z.uuid() }),
  ]),
  issuedAt: z.number().int(),
});

export function sealState(key: Buffer, flow: FlowState): string {
  return encrypt(key, JSON.stringify({ v: 1, kind: 'oauth_state', ...flow }));
}

export type OpenedState = { ok: true; flow: FlowState } | { ok: false; reason: 'missing' | 'tampered' | 'expired' | 'wrong_provider' | 'state_mismatch' };

/** Every check the callback needs before the code is even looked at, each named. */
export function openState(key: Buffer, sealed: string | undefined, expected: { provider: string; state: unknown }, now = Date.now()): OpenedState {
  if (!sealed) return { ok: false, reason: 'missing' };
  let parsed: z.infer<typeof sealedShape>;
  try {
    parsed = sealedShape.parse(JSON.parse(decrypt(key, sealed)));
  } catch {
    return { ok: false, reason: 'tampered' };
  }
  if (parsed.issuedAt > now + SKEW_MS || now - parsed.issuedAt > STATE_TTL_MS) return { ok: false, reason: 'expired' };
  if (parsed.provider !== expected.provider) return { ok: false, reason: 'wrong_provider' };
  // The browser that started the flow is the one finishing it (login CSRF, code injection).
  if (typeof expected.state !== 'string' || !safeEqual(expected.state, parsed.state)) return { ok: false, reason: 'state_mismatch' };
  const { v: _v, kind: _kind, ...flow } = parsed;
  return { ok: true, flow };
}

/** The sealed flow of the cookie named after `state`, if the browser sent one. */
export function readStateCookie(req: Request, state: unknown): string | undefined {
  const name = stateCookieName(state);
  return name ? flowCookies(req).get(name) : undefined;
}

/**
 * Sets this flow's cookie. With MAX_FLOWS already in the browser, the oldest go (those that no
 * longer open first): a forgotten tab cannot make the browser's cookie header grow without end.
 */
export function setStateCookie(ctx: AppContext, req: Request, res: Response, flow: FlowState): void {
  const existing = [...flowCookies(req)].map(([name, sealed]) => ({ name, issuedAt: issuedAtOf(ctx.keys.oauthState, sealed) }));
  existing.sort((a, b) => a.issuedAt - b.issuedAt);
  for (const { name } of existing.slice(0, Math.max(0, existing.length - (MAX_FLOWS - 1)))) clearStateCookie(ctx, res, name);
  const name = stateCookieName(flow.state)!;
  res.append('Set-Cookie', serialize(name, sealState(ctx.keys.oauthState, flow), { httpOnly: true, sameSite: 'lax', path: STATE_PATH, maxAge: STATE_TTL_MS / 1000, secure: ctx.config.COOKIE_SECURE }));
}

export function clearStateCookie(ctx: AppContext, res: Response, name: string): void {
  res.append('Set-Cookie', serialize(name, '', { httpOnly: true, sameSite: 'lax', path: STATE_PATH, maxAge: 0, secure: ctx.config.COOKIE_SECURE }));
}

function flowCookies(req: Request): Map<string, string> {
  const found = new Map<string, string>();
  if (!req.headers.cookie) return found;
  try {
    for (const [name, value] of Object.entries(parse(req.headers.cookie))) if (FLOW_NAME.test(name) && value) found.set(name, value);
  } catch {
    // A malformed header carries no flow.
  }
  return found;
}

/** For ordering only: a cookie that does not open counts as the oldest. */
function issuedAtOf(key: Buffer, sealed: string): number {
  try {
    const issuedAt = (JSON.parse(decrypt(key, sealed)) as { issuedAt?: unknown }).issuedAt;
    return typeof issuedAt === 'number' ? issuedAt : 0;
  } catch {
    return 0;
  }
}
