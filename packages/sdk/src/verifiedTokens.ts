// A small cache of access tokens this verifier has already verified, keyed by the exact token
// string (Node and browsers alike: no Buffer, no crypto).
//
// Why it is safe: the key is the whole compact JWS, header, payload and signature, and only
// canonical spellings reach it (tokenFormat.ts is checked first), so a hit is the very token that
// passed every check before: signature, alg allow-list, kid, typ, iss, aud and the claims'
// shape give the same answer for the same string. The only checks that depend on the time are
// redone on every hit: `exp` (with the same tolerance and comparison as jose), and the entry's own
// age. Only successful verifications are ever stored, so forged or broken tokens cannot fill it.
//
// What it changes: a key withdrawn from the JWKS stops being honoured for a token already seen
// when the entry ends: at the token's exp, and at most MAX_ENTRY_AGE_MS after it was verified.
// (Without the cache, jose itself keeps a fetched key set for up to 10 minutes.)
import type { AccessTokenClaims } from '#sdk/verifier';

/** An entry is verified again after this long, whatever its exp, so a withdrawn key ends its tokens soon. */
export const MAX_ENTRY_AGE_MS = 5 * 60_000;
export const DEFAULT_CACHE_SIZE = 1_000;

interface Entry {
  claims: AccessTokenClaims;
  /** Date.now() after which the entry is dropped unless exp ended it first. */
  until: number;
}

export type Lookup = { found: 'claims'; claims: AccessTokenClaims } | { found: 'expired' } | { found: 'nothing' };

export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  /** `maxEntries` 0 disables the cache. */
  constructor(
    private readonly maxEntries: number,
    private readonly clockToleranceSec: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** `expired` when the token is cached but its exp has passed (the entry is dropped). */
  lookup(token: string): Lookup {
    const entry = this.entries.get(token);
    if (!entry) return { found: 'nothing' };
    const now = Date.now();
    // jose's own test (lib/jwt_claims_set.js): expired when exp <= now - tolerance, in whole seconds.
    if (entry.claims.exp <= Math.floor(now / 1000) - this.clockToleranceSec) {
      this.entries.delete(token);
      return { found: 'expired' };
    }
    if (now > entry.until) {
      this.entries.delete(token);
      return { found: 'nothing' };
    }
    return { found: 'claims', claims: copy(entry.claims) };
  }

  /** Call only with a token that has just passed every check, and the claims it gave. */
  remember(token: string, claims: AccessTokenClaims): void {
    if (this.maxEntries <= 0) return;
    // Bounded: the oldest entry goes first (Map keeps insertion order).
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { claims: copy(claims), until: Date.now() + MAX_ENTRY_AGE_MS });
  }
}

/** Callers get their own copy: a handler that edits req.auth must not edit the cache. */
function copy(claims: AccessTokenClaims): AccessTokenClaims {
  return claims.amr ? { ...claims, amr: [...claims.amr] } : { ...claims };
}
