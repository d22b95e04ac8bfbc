import { randomUUID } from 'node:crypto';
import { decodeJwt, SignJWT, type JWTPayload } from 'jose';
import type { TestServer } from '@portcullis/testing/server';

/** Shared pieces of the attack catalogue: the protected endpoints and token forging. */

export const ISSUER = 'http://portcullis.test';
export const AUDIENCE = 'portcullis';
const SOME_ID = '00000000-0000-4000-8000-000000000000';

/** Every endpoint of the contract that needs a bearer token (path parameters filled in). */
export const BEARER_ENDPOINTS: [method: string, path: string][] = [
  ['GET', '/api/auth/me'],
  ['GET', '/api/auth/sessions'],
  ['DELETE', `/api/auth/sessions/${SOME_ID}`],
  ['POST', '/api/auth/logout-all'],
  ['POST', '/api/auth/password/change'],
  ['POST', '/api/auth/email/verify/resend'],
  ['POST', '/api/auth/mfa/totp/setup'],
  ['POST', '/api/auth/mfa/totp/enable'],
  ['POST', '/api/auth/mfa/totp/disable'],
  ['GET', '/api/projects'],
  ['POST', '/api/projects'],
  ['GET', `/api/projects/${SOME_ID}`],
  ['PATCH', `/api/projects/${SOME_ID}`],
  ['DELETE', `/api/projects/${SOME_ID}`],
  ['GET', '/api/admin/users'],
  ['GET', `/api/admin/users/${SOME_ID}`],
  ['PATCH', `/api/admin/users/${SOME_ID}`],
  ['DELETE', `/api/admin/users/${SOME_ID}`],
  ['POST', `/api/admin/users/${SOME_ID}/sessions/revoke`],
  ['GET', '/api/admin/audit-events'],
  ['POST', '/api/admin/keys/rotate'],
  ['POST', '/api/auth/oauth/github/link'],
  ['GET', '/api/auth/oauth/accounts'],
  ['DELETE', `/api/auth/oauth/accounts/${SOME_ID}`],
];

export const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The claims of a real token, optionally changed: forgeries start from something that would pass. */
export function claimsFrom(realToken: string, changes: Partial<JWTPayload> = {}): JWTPayload {
  const real = decodeJwt(realToken);
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: real.sub, sid: real.sid, role: real.role, iat: now, exp: now + 600, jti: randomUUID(), ...changes };
}

/** Signs with the server's own current key: for tokens that are authentic but wrong in some other way. */
export async function signWithServerKey(server: TestServer, payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const { kid, alg, key } = server.ctx.keyRing.signingKey();
  // Declaring any `crit` extension as understood lets the signer produce it; the server must not.
  const crit = Array.isArray(header.crit) ? Object.fromEntries(header.crit.map((name: string) => [name, true])) : undefined;
  return new SignJWT(payload).setProtectedHeader({ alg, kid, typ: 'at+jwt', ...header }).sign(key, { crit });
}

/** An unsigned JWS compact string with any header: for headers no library would produce. */
export const unsigned = (header: unknown, payload: unknown, signature = '') => `${b64url(header)}.${b64url(payload)}.${signature}`;
