// A compact JWS checked with node:crypto and a KeyObject cached per JWKS key (Node only).
//
// Why not jose's jwtVerify: on Node it verifies through WebCrypto, a promise and a trip to the libuv
// thread pool for every signature, which made the first sight of each token cost far more than its
// few microseconds of Ed25519 (issue 12). jose still fetches, caches and selects the JWKS keys
// (createRemoteJWKSet: an unknown kid refetches, at most every 30 s); what it hands back is turned
// into a KeyObject once and checked synchronously here. The header and claim checks are jose's own
// rules for the options the verifier passed it (lib/jwt_claims_set.js, jws/flattened/verify.js),
// with the same error classes, so verifier.ts maps refusals exactly as before.
// The module object, not a named import: tests count signature checks with a spy on its `verify`.
import nodeCrypto, { constants, KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { errors, type CryptoKey, type JWSHeaderParameters, type JWTPayload } from 'jose';

export interface ClaimRules {
  algorithms: readonly string[];
  issuer: string;
  audience: string | readonly string[];
  clockTolerance: number;
  typ: string;
  requiredClaims: readonly string[];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The protected header, or jose's error: JWSInvalid (refusing `crit` and `b64` outright: no access
 * token uses them), JOSEAlgNotAllowed before any key is looked up for an algorithm not allowed.
 */
export function protectedHeaderOf(token: string, algorithms: readonly string[]): JWSHeaderParameters & { alg: string } {
  let header: unknown;
  try {
    header = JSON.parse(strictUtf8.decode(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url')));
  } catch {
    throw new errors.JWSInvalid('JWS Protected Header is invalid');
  }
  if (!isObject(header) || typeof header.alg !== 'string') throw new errors.JWSInvalid('JWS Protected Header is invalid');
  if ('crit' in header || 'b64' in header) throw new errors.JWSInvalid('JWS "crit" and "b64" are not supported');
  if (!algorithms.includes(header.alg)) throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  return header as JWSHeaderParameters & { alg: string };
}

/** KeyObjects made once per key jose handed out (it hands out the same CryptoKey while its JWKS is cached). */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();
export function keyObjectOf(key: CryptoKey): KeyObject {
  let object = keyObjects.get(key);
  if (!object) keyObjects.set(key, (object = KeyObject.from(key)));
  return object;
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** node:crypto's verify of `alg` over the signing input; false for any mismatch of key and algorithm. */
function signatureValid(alg: string, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  const family = alg.slice(0, 2);
  const hash = HASH[alg.slice(2)];
  const type = key.asymmetricKeyType;
  try {
    if (alg === 'EdDSA' || alg === 'Ed25519') return type === 'ed25519' && nodeCrypto.verify(null, data, key, signature);
    if (!hash) return false;
    if (family === 'ES') {
      const curve = { sha256: 'prime256v1', sha384: 'secp384r1', sha512: 'secp521r1' }[hash];
      return type === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve && nodeCrypto.verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    // RSA keys under 2048 bits are refused, as jose does.
    if (!((key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048)) return false;
    if (family === 'RS') return type === 'rsa' && nodeCrypto.verify(hash, data, key, signature);
    if (family === 'PS') {
      const input: VerifyKeyObjectInput = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
      return (type === 'rsa' || type === 'rsa-pss') && nodeCrypto.verify(hash, data, input, signature);
    }
  } catch {
    return false;
  }
  return false;
}

/** Verifies the signature, then the claims by jose's rules; throws jose's error classes. */
export function verifyCompactJwt(token: string, header: { alg: string; typ?: unknown }, key: CryptoKey, rules: ClaimRules): JWTPayload {
  if (!rules.algorithms.includes(header.alg)) throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  const end = token.lastIndexOf('.');
  if (!signatureValid(header.alg, keyObjectOf(key), Buffer.from(token.slice(0, end)), Buffer.from(token.slice(end + 1), 'base64url'))) {
    throw new errors.JWSSignatureVerificationFailed();
  }
  let claims: unknown;
  try {
    claims = JSON.parse(strictUtf8.decode(Buffer.from(token.slice(token.indexOf('.') + 1, end), 'base64url')));
  } catch {
    throw new errors.JWTInvalid('JWT Claims Set must be a top-level JSON object');
  }
  if (!isObject(claims)) throw new errors.JWTInvalid('JWT Claims Set must be a top-level JSON object');
  const failed = (claim: string) => new errors.JWTClaimValidationFailed(`unexpected "${claim}" claim value`, claims as JWTPayload, claim);
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== normalizeTyp(rules.typ)) throw failed('typ');
  for (const claim of new Set([...rules.requiredClaims, 'aud', 'iss'])) if (!Object.hasOwn(claims, claim)) throw failed(claim);
  if (claims.iss !== rules.issuer) throw failed('iss');
  const audiences = typeof rules.audience === 'string' ? [rules.audience] : rules.audience;
  const aud = claims.aud;
  if (!(typeof aud === 'string' ? audiences.includes(aud) : Array.isArray(aud) && audiences.some((a) => aud.includes(a)))) throw failed('aud');
  const now = Math.floor(Date.now() / 1000);
  for (const claim of ['iat', 'nbf', 'exp']) if (claims[claim] !== undefined && typeof claims[claim] !== 'number') throw failed(claim);
  if (typeof claims.nbf === 'number' && claims.nbf > now + rules.clockTolerance) throw failed('nbf');
  if (typeof claims.exp === 'number' && claims.exp <= now - rules.clockTolerance) {
    throw new errors.JWTExpired('"exp" claim timestamp check failed', claims as JWTPayload, 'exp');
  }
  return claims as JWTPayload;
}

const normalizeTyp = (value: string) => (value.includes('/') ? value.toLowerCase() : `application/${value.toLowerCase()}`);
