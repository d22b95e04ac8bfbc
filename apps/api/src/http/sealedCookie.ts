import type { Request, Response } from 'express';
import { EncryptJWT, errors, jwtDecrypt, type JWTPayload } from 'jose';
import type { z } from 'zod';
import { CLOCK_SKEW_SECONDS } from '../duration.js';
import { defineCookie, type CookieDefinition, type CookieScope } from './cookie.js';

/**
 * A cookie whose value the browser must neither read nor alter: an encrypted JWT (JWE, `dir` with
 * A256GCM under a 32-byte key derived from SECRET_KEY by HKDF, services/secrets.ts), opened with
 * jose's `jwtDecrypt`, which checks the tag, the expiry and the purpose.
 *
 * - Purpose: `aud` names what the cookie is for (`portcullis/<purpose>`), so one flow's cookie
 *   never opens as another's, even though they share a key.
 * - Lifetime: `iat` is when it was issued and `exp` is iat + the cookie's Max-Age, whatever the
 *   browser kept. An `iat` up to SKEW_SECONDS in the future is tolerated (instances' clocks differ)
 *   but the lifetime is not stretched by it: maxTokenAge is the lifetime less that tolerance.
 * - The payload is checked against a zod schema after decryption: an old format opens as invalid.
 */

/** Tolerated clock skew between API instances for a cookie's issued-at. */
export const SKEW_SECONDS = CLOCK_SKEW_SECONDS;
const ALG = 'dir';
const ENC = 'A256GCM';

export type Unsealed<T> = { ok: true; value: T; issuedAt: number } | { ok: false; reason: 'invalid' | 'expired' };

export interface SealOptions {
  /** Unix time in ms the value counts as issued at (default now). */
  issuedAt?: number;
}

export async function seal(key: Uint8Array, purpose: string, lifetimeSeconds: number, payload: object, options: SealOptions = {}): Promise<string> {
  const iat = Math.floor((options.issuedAt ?? Date.now()) / 1000);
  // Our own claims (aud, iat, exp) are set below and win over any of the same name in the payload.
  return new EncryptJWT({ ...payload } as JWTPayload)
    .setProtectedHeader({ alg: ALG, enc: ENC })
    .setAudience(audience(purpose))
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .encrypt(key);
}

/** Opens a sealed value; `now` (ms) is for tests. Never throws for a bad value. */
export async function unseal<T>(
  key: Uint8Array,
  purpose: string,
  lifetimeSeconds: number,
  shape: z.ZodType<T>,
  sealed: string,
  now?: number,
): Promise<Unsealed<T>> {
  let payload;
  try {
    ({ payload } = await jwtDecrypt(sealed, key, {
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
      audience: audience(purpose),
      requiredClaims: ['exp'],
      maxTokenAge: lifetimeSeconds - SKEW_SECONDS,
      clockTolerance: SKEW_SECONDS,
      currentDate: now === undefined ? undefined : new Date(now),
    }));
  } catch (error) {
    return { ok: false, reason: isExpiry(error) ? 'expired' : 'invalid' };
  }
  const { aud: _aud, iat, exp: _exp, ...claims } = payload;
  const parsed = shape.safeParse(claims);
  // jwtDecrypt checked iat (maxTokenAge requires it); the typeof narrows it for the compiler.
  return parsed.success && typeof iat === 'number' ? { ok: true, value: parsed.data, issuedAt: iat * 1000 } : { ok: false, reason: 'invalid' };
}

/** Too old, or issued further in the future than the tolerated skew: both are the clock's verdict. */
function isExpiry(error: unknown): boolean {
  return error instanceof errors.JWTExpired || (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iat');
}

function audience(purpose: string): string {
  return `portcullis/${purpose}`;
}

/** What a sealed cookie needs from the application: satisfied by AppContext. */
export interface SealingKeys {
  keys: { oauthState: Uint8Array };
}
export type SealedCookieScope = CookieScope & SealingKeys;

export interface SealedCookieDefinition<T> extends CookieDefinition {
  maxAge: number;
  purpose: string;
  shape: z.ZodType<T>;
}

export interface SealedCookieController<T> {
  readonly name: string;
  set(scope: SealedCookieScope, res: Response, value: T, options?: SealOptions): Promise<void>;
  /** The value `set` would send, without sending it. */
  seal(scope: SealingKeys, value: T, options?: SealOptions): Promise<string>;
  clear(scope: CookieScope, res: Response): void;
  /** Opens the cookie the browser sent; `{ ok: false, reason: 'invalid' }` when it sent none. */
  open(scope: SealingKeys, req: Request, now?: number): Promise<Unsealed<T>>;
  /** Opens a value read by other means (cookies whose name varies). */
  unseal(scope: SealingKeys, sealed: string, now?: number): Promise<Unsealed<T>>;
}

/**
 * A sealed cookie under the OAuth key (ctx.keys.oauthState): the flow cookies are the only sealed
 * ones today, and their distinct purposes keep them apart.
 */
export function defineSealedCookie<T extends object>(definition: SealedCookieDefinition<T>): SealedCookieController<T> {
  const cookie = defineCookie(definition);
  const { purpose, maxAge, shape } = definition;
  const sealValue = (scope: SealingKeys, value: T, options?: SealOptions) => seal(scope.keys.oauthState, purpose, maxAge, value, options);
  const unsealValue = (scope: SealingKeys, sealed: string, now?: number) => unseal(scope.keys.oauthState, purpose, maxAge, shape, sealed, now);
  return {
    name: cookie.name,
    async set(scope, res, value, options) {
      cookie.set(scope, res, await sealValue(scope, value, options));
    },
    seal: sealValue,
    clear: cookie.clear,
    async open(scope, req, now) {
      const sealed = cookie.read(req);
      return sealed ? unsealValue(scope, sealed, now) : { ok: false, reason: 'invalid' };
    },
    unseal: unsealValue,
  };
}
