import { sign, type KeyObject } from 'node:crypto';
import type { SigningAlg } from './keyRing.js';

/**
 * A compact JWS (RFC 7515) signed synchronously with node:crypto and a `KeyObject` made once per
 * key (keyRing.ts). jose's `SignJWT` signs through WebCrypto: a promise and a trip to the libuv
 * thread pool for every token, which on the refresh and login paths sat beside the password hashes
 * in that pool (issue 12). An Ed25519 or P-256 signature takes tens of microseconds: cheaper done here.
 * The output is what jose produced: unpadded base64url segments, ES256 signatures as r‖s (IEEE P1363).
 */
export function signCompactJws(header: Record<string, unknown>, payload: Record<string, unknown>, alg: SigningAlg, key: KeyObject): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const data = Buffer.from(signingInput);
  const signature = alg === 'EdDSA' ? sign(null, data, key) : sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');
