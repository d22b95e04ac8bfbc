import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { isCanonicalCompactJws } from '@portcullis/sdk/server';
import { fields, type Permission } from '@portcullis/contract';
import { AMR_VALUES, ORG_ROLES, type Amr, type OrgRole, type Role } from '../db/schema.js';
import { expiredBearer, invalidBearer } from './errors.js';
import { signCompactJws } from './jwsSign.js';
import type { KeyRing } from './keyRing.js';
import type { VerifiedTokens } from './verifiedTokens.js';

/**
 * Access tokens: RFC 9068 JWTs with exactly the contract's claims, plus `amr` (RFC 9068 2.2.3.1)
 * only when ADMIN_REQUIRE_MFA opts in, and `org_id`/`org_role` only while the session has an active organization. Verification accepts only the algorithms and keys this
 * server issues with, and checks typ, iss, aud and exp (2 s tolerance).
 */

export interface AccessClaims {
  sub: string;
  sid: string;
  role: Role;
  iat: number;
  exp: number;
  jti: string;
  /** How the session was signed in; present only in tokens issued with `includeAmr`. */
  amr?: Amr[];
  /** RFC 9068 `client_id`: present only in a service account's token (client credentials grant); `sub` and `sid` are then the service account's id. */
  client_id?: string;
  /** Set (by the authentication middleware, never from a JWT) when the caller sent a personal API key: what the key may do. */
  apiKey?: { id: string; permissions: readonly Permission[] };
  /** The session's active organization and the role in it (issue 16, beyond the contract's claims): both or neither. */
  org_id?: string;
  org_role?: OrgRole;
}

/** The active organization a token carries. */
export interface TokenOrganization {
  id: string;
  role: OrgRole;
}

export interface AccessTokenOptions {
  keyRing: KeyRing;
  issuer: string;
  audience: string;
  ttlMs: number;
  /** ADMIN_REQUIRE_MFA: the admin gate reads `amr` from the token, so no request needs the database. */
  includeAmr: boolean;
  /** Tokens verified before (services/verifiedTokens.ts): a repeated token skips the signature check. */
  verified?: VerifiedTokens;
}

const TYP = 'at+jwt';
export const CLOCK_TOLERANCE_S = 2;
/** The ids this server signs are lower case (the database's form); any other spelling was not issued here. */
const isIssuedId = (value: unknown): value is string => typeof value === 'string' && fields.isUuid(value) && value === value.toLowerCase();
const ROLES = new Set<string>(['user', 'moderator', 'admin']);
const AMRS = new Set<string>(AMR_VALUES);
const ORG_ROLE_SET = new Set<string>(ORG_ROLES);

export async function issueAccessToken(
  options: AccessTokenOptions,
  subject: { userId: string; sessionId: string; role: Role; amr: readonly Amr[]; clientId?: string; org?: TokenOrganization | undefined },
) {
  const { kid, alg, keyObject } = options.keyRing.signingKey();
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = Math.max(1, Math.floor(options.ttlMs / 1000));
  // The claims in the order jose's SignJWT put them (its own claims, then iss, aud, sub, iat, exp, jti).
  const payload = {
    sid: subject.sessionId,
    role: subject.role,
    ...(options.includeAmr && { amr: [...subject.amr] }),
    ...(subject.clientId !== undefined && { client_id: subject.clientId }),
    ...(subject.org && { org_id: subject.org.id, org_role: subject.org.role }),
    iss: options.issuer,
    aud: options.audience,
    sub: subject.userId,
    iat: now,
    exp: now + expiresIn,
    jti: randomUUID(),
  };
  // Synchronous (node:crypto, a KeyObject made once per key): no thread-pool hop per token (jwsSign.ts).
  const token = signCompactJws({ alg, kid, typ: TYP }, payload, alg, keyObject);
  return { accessToken: token, expiresIn };
}

/** Throws `401 TOKEN_EXPIRED` or `401 INVALID_TOKEN`; never anything else. */
export async function verifyAccessToken(options: AccessTokenOptions, token: string): Promise<AccessClaims> {
  const known = options.verified?.lookup(token);
  if (known === 'expired') throw expiredBearer();
  if (known) return known;
  const claims = await verifyOnce(options, token);
  options.verified?.remember(token, claims);
  return claims;
}

async function verifyOnce(options: AccessTokenOptions, token: string): Promise<AccessClaims> {
  const { keyRing } = options;
  // One token, one spelling: padding, standard-alphabet characters or set unused bits would decode
  // (and verify) the same, so a copy could pass under a string no deny list or cache has seen.
  if (!isCanonicalCompactJws(token)) throw invalidBearer('The access token is malformed.');
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw invalidBearer('The access token is malformed.');
  }
  // Checked before any key lookup: a header naming another algorithm, or no kid, is refused outright.
  const algorithms = keyRing.algorithms();
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) throw invalidBearer('The access token uses an algorithm this server does not issue.');
  if (typeof header.kid !== 'string' || header.kid.length > 128) throw invalidBearer('The access token names no known key.');
  if (header.typ !== TYP) throw invalidBearer('The token is not an access token.');

  const key = await keyRing.verificationKey(header.kid, header.alg);
  if (!key) throw invalidBearer('The access token names no known key.');

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms,
      issuer: options.issuer,
      audience: options.audience,
      typ: TYP,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['sub', 'sid', 'role', 'iat', 'exp', 'jti'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw expiredBearer();
    throw invalidBearer();
  }

  const { sub, sid, role, iat, exp, jti, amr, client_id, org_id, org_role } = payload;
  if (!isIssuedId(sub) || !isIssuedId(sid)) throw invalidBearer();
  if (typeof role !== 'string' || !ROLES.has(role) || typeof jti !== 'string') throw invalidBearer();
  if (typeof iat !== 'number' || typeof exp !== 'number') throw invalidBearer();
  // A token dated in the future was not issued by this server's clock.
  if (iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) throw invalidBearer();
  if (amr !== undefined && !(Array.isArray(amr) && amr.length <= AMRS.size && amr.every((v) => typeof v === 'string' && AMRS.has(v)))) throw invalidBearer();
  if (client_id !== undefined && (typeof client_id !== 'string' || client_id.length > 200)) throw invalidBearer();
  // The organization claims come together or not at all.
  if ((org_id === undefined) !== (org_role === undefined)) throw invalidBearer();
  if (org_id !== undefined && !(isIssuedId(org_id) && typeof org_role === 'string' && ORG_ROLE_SET.has(org_role))) throw invalidBearer();
  return {
    sub,
    sid,
    role: role as Role,
    iat,
    exp,
    jti,
    ...(amr !== undefined && { amr: amr as Amr[] }),
    ...(client_id !== undefined && { client_id }),
    ...(org_id !== undefined && { org_id, org_role: org_role as OrgRole }),
  };
}
