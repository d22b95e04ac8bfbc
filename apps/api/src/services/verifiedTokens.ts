import type { AccessClaims } from './accessTokens.js';

/**
 * Access tokens this instance has already verified, keyed by the exact token string, so that a
 * client sending the same bearer token on every request costs one signature check, not one per
 * request (issue 12: GET /api/auth/me). Safe because the key is the whole compact JWS (header,
 * payload and signature) and only canonical spellings get this far (accessTokens.ts checks that
 * first), so a hit is the very string that passed every check; only successful verifications are
 * stored. The checks that depend on the time are redone on every hit: `exp`, with jose's own
 * comparison and tolerance (an expired hit is refused as expired). A key leaves the ring only
 * once every token it signed has expired (keyRing.ts), so no entry outlives its key; revocations
 * are checked per request after this, as before. Bounded: the least recently stored go first.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Readonly<AccessClaims>>();

  constructor(
    private readonly max: number,
    private readonly clockToleranceS: number,
  ) {}

  /** The claims of a token verified before; `expired` once its exp has passed; undefined when unknown. */
  lookup(token: string, nowMs = Date.now()): Readonly<AccessClaims> | 'expired' | undefined {
    const claims = this.entries.get(token);
    if (!claims) return undefined;
    // jose (lib/jwt_claims_set.js): expired when exp <= now - tolerance, now in whole seconds.
    if (claims.exp <= Math.floor(nowMs / 1000) - this.clockToleranceS) {
      this.entries.delete(token);
      return 'expired';
    }
    return claims;
  }

  /** Only with a token that has just passed every check, and the claims it gave. */
  remember(token: string, claims: AccessClaims): void {
    if (this.max <= 0) return;
    this.entries.set(token, Object.freeze({ ...claims, ...(claims.amr && { amr: Object.freeze([...claims.amr]) as AccessClaims['amr'] }) }));
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size() {
    return this.entries.size;
  }
}
