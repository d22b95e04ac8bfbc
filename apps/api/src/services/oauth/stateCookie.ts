import { serialize } from 'cookie';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
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
 *   expired anyway (Redis when configured, so every instance knows; otherwise this process).
 *   A replay on another instance without Redis still fails at the provider: the authorization
 *   code is single-use and bound to the PKCE verifier.
 */

export const STATE_COOKIE = 'portcullis_oauth';
const STATE_PATH = '/api/auth/oauth';
export const STATE_TTL_MS = 10 * 60_000;
/** Tolerated clock skew between API instances for issued-at. */
const SKEW_MS = 60_000;

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

export function setStateCookie(ctx: AppContext, res: Response, sealed: string): void {
  res.append('Set-Cookie', serialize(STATE_COOKIE, sealed, { httpOnly: true, sameSite: 'lax', path: STATE_PATH, maxAge: STATE_TTL_MS / 1000, secure: ctx.config.COOKIE_SECURE }));
}

export function clearStateCookie(ctx: AppContext, res: Response): void {
  res.append('Set-Cookie', serialize(STATE_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: STATE_PATH, maxAge: 0, secure: ctx.config.COOKIE_SECURE }));
}

/** Remembers used states (by hash) until they expire, so a callback URL works once. */
export class UsedStates {
  private readonly memory = new Map<string, number>();

  constructor(
    private readonly redis: Redis | undefined,
    private readonly onRedisError: (error: Error) => void = () => {},
  ) {}

  /** True the first time a state is claimed; false on every later attempt. */
  async claim(state: string, now = Date.now()): Promise<boolean> {
    const key = `portcullis:oauth-state:${sha256(state)}`;
    if (this.redis) {
      try {
        return (await this.redis.set(key, '1', 'PX', STATE_TTL_MS + SKEW_MS, 'NX')) === 'OK';
      } catch (error) {
        // Redis unreachable: fall back to this process (the provider still refuses a reused code).
        this.onRedisError(error as Error);
      }
    }
    this.prune(now);
    if (this.memory.has(key)) return false;
    this.memory.set(key, now + STATE_TTL_MS + SKEW_MS);
    return true;
  }

  private prune(now: number): void {
    if (this.memory.size < 1000) return;
    for (const [key, expiresAt] of this.memory) if (expiresAt <= now) this.memory.delete(key);
  }
}
