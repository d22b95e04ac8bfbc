// Offline verification of Portcullis access tokens for other services (Node).
//
// Offline verification cannot see revocations: after a logout, a password change or a
// role change the API refuses the old access token at once, but this verifier accepts it
// until its `exp` (JWT_ACCESS_TTL, 15 min by default). A service that needs revocation to
// take effect instantly must call `GET /api/auth/me` with the token instead (or as well).
import { createRemoteJWKSet, errors, type JWTPayload } from 'jose';
import { AuthError } from '#sdk/errors';
import { protectedHeaderOf, verifyCompactJwt } from '#sdk/jwsVerify';
import { isCanonicalCompactJws } from '#sdk/tokenFormat';
import type { OrgRole } from '#sdk/permissions';
import type { Role } from '#sdk/types';
import { DEFAULT_CACHE_SIZE, VerifiedTokens } from '#sdk/verifiedTokens';

/** Asymmetric algorithms only: `none` and HS* (where a public key could be used as secret) never. */
export type AccessTokenAlgorithm = 'EdDSA' | 'Ed25519' | 'ES256' | 'ES384' | 'ES512' | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512';

const ASYMMETRIC = new Set<string>(['EdDSA', 'Ed25519', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
/** The contract allows at most 2 s of clock tolerance. */
const MAX_TOLERANCE_SEC = 2;

export interface VerifierOptions {
  /** `JWT_ISSUER` of the API. */
  issuer: string;
  /** `JWT_AUDIENCE` of the API. */
  audience: string | string[];
  /** e.g. `https://auth.example.com/.well-known/jwks.json`; fetched lazily and cached by jose. */
  jwksUrl: string | URL;
  /** Default `['EdDSA', 'ES256']`, the algorithms the API can issue with. */
  algorithms?: AccessTokenAlgorithm[];
  /** Default 2, at most 2. */
  clockToleranceSec?: number;
  /**
   * How many already-verified tokens to remember (verifiedTokens.ts), so that a token seen again
   * costs a map lookup and an exp check instead of a signature check. Default 1000; 0 disables it.
   */
  cacheSize?: number;
}

/** The claims of a verified access token (RFC 9068 profile, as the contract defines it). */
export interface AccessTokenClaims {
  /** User id. */
  sub: string;
  /** Session id. */
  sid: string;
  role: Role | (string & {});
  jti: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
  /**
   * How the session was signed in (RFC 8176: `pwd`, `fed`, `otp`, `mfa` when two factors were used).
   * Not in the contract: only servers with `ADMIN_REQUIRE_MFA=true` add it; absent otherwise.
   */
  amr?: string[];
  /** The session's active organization (issue 16, not in the contract): present, with `org_role`, only while one is active. */
  org_id?: string;
  /** The caller's role in `org_id`: `owner`, `admin` or `member`. */
  org_role?: OrgRole | (string & {});
}

export interface Verifier {
  /** Resolves to the claims, or throws an AuthError: 401 TOKEN_EXPIRED / INVALID_TOKEN, 503 SERVICE_UNAVAILABLE. */
  verify(token: string): Promise<AccessTokenClaims>;
}

function invalid(message: string, cause?: unknown): AuthError {
  return new AuthError({ status: 401, code: 'INVALID_TOKEN', message, cause });
}

/** JOSE error codes that mean "the key set could not be had", not "the token is bad". */
const KEY_SET_FAILURES = new Set(['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

function mapError(err: unknown): AuthError {
  if (err instanceof errors.JWTExpired) {
    return new AuthError({ status: 401, code: 'TOKEN_EXPIRED', message: 'The access token has expired', cause: err });
  }
  if (err instanceof errors.JOSEError && !KEY_SET_FAILURES.has(err.code)) {
    return invalid('The access token is not valid', err);
  }
  // The JWKS endpoint is down or answers nonsense: the token may be fine, so don't tell the
  // client to throw it away (a 401 would make it refresh for nothing); report unavailability.
  return new AuthError({ status: 503, code: 'SERVICE_UNAVAILABLE', message: 'Cannot fetch the signing keys', cause: err });
}

function claimsOf(payload: JWTPayload): AccessTokenClaims {
  const { sub, sid, role, jti, iat, exp, amr, org_id, org_role } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || typeof sid !== 'string' || typeof role !== 'string' || typeof jti !== 'string') {
    throw invalid('The access token lacks sub, sid, role or jti');
  }
  if (typeof iat !== 'number' || typeof exp !== 'number') throw invalid('The access token lacks iat or exp');
  if (amr !== undefined && !(Array.isArray(amr) && amr.every((v) => typeof v === 'string'))) throw invalid('The access token has a malformed amr');
  if ((org_id === undefined) !== (org_role === undefined) || (org_id !== undefined && (typeof org_id !== 'string' || typeof org_role !== 'string'))) {
    throw invalid('The access token has a malformed org_id or org_role');
  }
  return {
    sub,
    sid,
    role,
    jti,
    iat,
    exp,
    ...(amr !== undefined && { amr: amr as string[] }),
    ...(typeof org_id === 'string' && typeof org_role === 'string' && { org_id, org_role }),
  };
}

export function createVerifier(options: VerifierOptions): Verifier {
  const algorithms = options.algorithms ?? ['EdDSA', 'ES256'];
  // Checked at run time too: JavaScript callers and casts get past the type.
  const refused = algorithms.filter((alg) => !ASYMMETRIC.has(alg));
  if (algorithms.length === 0 || refused.length > 0) {
    throw new TypeError(`createVerifier: only asymmetric algorithms are allowed, got ${JSON.stringify(algorithms)}`);
  }
  const clockTolerance = options.clockToleranceSec ?? MAX_TOLERANCE_SEC;
  if (!(clockTolerance >= 0 && clockTolerance <= MAX_TOLERANCE_SEC)) {
    throw new RangeError(`createVerifier: clockToleranceSec must be between 0 and ${MAX_TOLERANCE_SEC}`);
  }
  const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  if (!(Number.isInteger(cacheSize) && cacheSize >= 0)) throw new RangeError('createVerifier: cacheSize must be a whole number, 0 or more');
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  const verified = new VerifiedTokens(cacheSize, clockTolerance);
  const rules = {
    algorithms,
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance,
    typ: 'at+jwt',
    requiredClaims: ['sub', 'sid', 'role', 'jti', 'iat', 'exp'],
  };

  return {
    async verify(token) {
      if (typeof token !== 'string' || token === '') throw invalid('No access token');
      // Before any signature check: a padded or otherwise re-spelt copy of a token is not that token (tokenFormat.ts).
      if (!isCanonicalCompactJws(token)) throw invalid('The access token is not in canonical base64url');
      // Only after the canonical check: the cache is keyed by the exact string.
      const seen = verified.lookup(token);
      if (seen.found === 'claims') return seen.claims;
      if (seen.found === 'expired') throw new AuthError({ status: 401, code: 'TOKEN_EXPIRED', message: 'The access token has expired' });
      let payload: JWTPayload;
      try {
        const header = protectedHeaderOf(token, algorithms);
        // jose's key set: cached, refetched for an unknown kid; the signature is checked synchronously (jwsVerify.ts).
        const key = await jwks(header);
        payload = verifyCompactJwt(token, header, key, rules);
      } catch (err) {
        throw mapError(err);
      }
      const claims = claimsOf(payload);
      verified.remember(token, claims);
      return claims;
    },
  };
}
