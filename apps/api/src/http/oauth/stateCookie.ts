import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { readCookies } from '../cookie.js';
import { defineSealedCookie, type SealedCookieController, type SealingKeys } from '../sealedCookie.js';
import { safeEqual, sha256 } from '../../services/secrets.js';
import { PROVIDER_IDS, type ProviderId } from '../../services/oauth/providers.js';
import type { FlowSecrets } from '../../services/oauth/protocol.js';
import { STATE_TTL_MS } from '../../services/oauth/usedStates.js';

/**
 * The state of one OAuth flow, carried by the browser between /authorize and /callback.
 *
 * - Sealed (http/sealedCookie.ts: an encrypted JWT, purpose `oauth-state`): the PKCE code verifier
 *   and the nonce must stay secret, and the tag makes any tampering fail to open.
 * - HttpOnly, Path=/api/auth/oauth, Max-Age=600, Secure when cookies are secure.
 * - SameSite=Lax, not Strict: the callback arrives by a cross-site top-level navigation (the
 *   provider redirects the browser back to us). Strict cookies are not sent with it, so the flow
 *   would always fail; Lax cookies are sent on top-level GET navigations and on nothing else
 *   cross-site, which is exactly the one request that needs it. (None is not needed: we use the
 *   query response mode, never a cross-site form POST.)
 * - Issued-at and expiry inside the sealed value: older than 10 minutes fails, whatever the browser kept.
 * - One use: the callback clears the cookie and remembers the state as used until it would have
 *   expired anyway, where every instance sees it (services/oauth/usedStates.ts).
 * - One cookie per flow, named after its state (`portcullis_oauth_<12 hex of SHA-256(state)>`): a
 *   second sign-in started in another tab gets a cookie of its own instead of overwriting the first
 *   one's, and the callback finds its own by the `state` the provider sends back. At most MAX_FLOWS
 *   live in a browser at once; starting another drops the oldest.
 */

export const STATE_COOKIE_PREFIX = 'portcullis_oauth_';
const STATE_PATH = '/api/auth/oauth';
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
  /** Unix time in ms; sealed as the cookie's `iat`. */
  issuedAt: number;
}

const sealedShape = z.object({
  provider: z.enum(PROVIDER_IDS),
  state: z.string().min(16).max(128),
  codeVerifier: z.string().min(43).max(128),
  nonce: z.string().min(16).max(128).optional(),
  redirect: z.string().max(2048),
  intent: z.discriminatedUnion('kind', [z.object({ kind: z.literal('login') }), z.object({ kind: z.literal('link'), userId: z.uuid(), sessionId: z.uuid() })]),
});
type SealedFlow = z.infer<typeof sealedShape>;

/** The cookie of one flow: each has its own name, all share these attributes and this purpose. */
function flowCookie(name: string): SealedCookieController<SealedFlow> {
  return defineSealedCookie({ name, path: STATE_PATH, sameSite: 'lax', maxAge: STATE_TTL_MS / 1000, purpose: 'oauth-state', shape: sealedShape });
}
/** For opening only (the name plays no part in it). */
const anyFlow = flowCookie(STATE_COOKIE_PREFIX);

/** The value of a flow's cookie (setStateCookie sends it; tests age it). */
export function sealState(key: Uint8Array, flow: FlowState): Promise<string> {
  const { issuedAt, ...sealed } = flow;
  return anyFlow.seal({ keys: { oauthState: key } }, sealed, { issuedAt });
}

export type OpenedState = { ok: true; flow: FlowState } | { ok: false; reason: 'missing' | 'tampered' | 'expired' | 'wrong_provider' | 'state_mismatch' };

/** Every check the callback needs before the code is even looked at, each named. */
export async function openState(
  key: Uint8Array,
  sealed: string | undefined,
  expected: { provider: string; state: unknown },
  now?: number,
): Promise<OpenedState> {
  if (!sealed) return { ok: false, reason: 'missing' };
  const opened = await anyFlow.unseal({ keys: { oauthState: key } }, sealed, now);
  if (!opened.ok) return { ok: false, reason: opened.reason === 'expired' ? 'expired' : 'tampered' };
  const flow: FlowState = { ...opened.value, issuedAt: opened.issuedAt };
  if (flow.provider !== expected.provider) return { ok: false, reason: 'wrong_provider' };
  // The browser that started the flow is the one finishing it (login CSRF, code injection).
  if (typeof expected.state !== 'string' || !safeEqual(expected.state, flow.state)) return { ok: false, reason: 'state_mismatch' };
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
export async function setStateCookie(ctx: AppContext, req: Request, res: Response, flow: FlowState): Promise<void> {
  const existing = await Promise.all([...flowCookies(req)].map(async ([name, sealed]) => ({ name, issuedAt: await issuedAtOf(ctx, sealed) })));
  existing.sort((a, b) => a.issuedAt - b.issuedAt);
  for (const { name } of existing.slice(0, Math.max(0, existing.length - (MAX_FLOWS - 1)))) clearStateCookie(ctx, res, name);
  const { issuedAt, ...sealed } = flow;
  const name = stateCookieName(flow.state);
  // beginAuthorization makes every state; one this rejects is a bug, not a request to answer.
  if (!name) throw new Error('setStateCookie: the flow state is not one of ours');
  await flowCookie(name).set(ctx, res, sealed, { issuedAt });
}

export function clearStateCookie(ctx: AppContext, res: Response, name: string): void {
  flowCookie(name).clear(ctx, res);
}

function flowCookies(req: Request): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of Object.entries(readCookies(req))) if (FLOW_NAME.test(name) && value) found.set(name, value);
  return found;
}

/** For ordering only: a cookie that does not open counts as the oldest. */
async function issuedAtOf(scope: SealingKeys, sealed: string): Promise<number> {
  const opened = await anyFlow.unseal(scope, sealed);
  return opened.ok ? opened.issuedAt : 0;
}
