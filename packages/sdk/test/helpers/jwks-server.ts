// An Ed25519 signing key, a JWKS for it on 127.0.0.1 (port 0), and a token factory.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export const ISSUER = 'http://portcullis.test';
export const AUDIENCE = 'portcullis';

export interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function newKey(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { kid, privateKey, publicKey };
}

export async function serveJwks(keys: KeyPair[]): Promise<{ url: string; close(): Promise<void> }> {
  const jwks = { keys: await Promise.all(keys.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: 'EdDSA', use: 'sig' }))) };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

export interface TokenOptions {
  claims?: JWTPayload;
  header?: Record<string, unknown>;
  /** Seconds since the epoch; default an hour from now. */
  exp?: number;
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

export async function signToken(key: KeyPair, options: TokenOptions = {}): Promise<string> {
  // Claims spelled out (no setIssuer() etc.) so that options.claims can override or drop any of them.
  const payload: JWTPayload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    sid: 'sess-1',
    role: 'user',
    jti: 'jti-1',
    iat: nowSec() - 60,
    exp: options.exp ?? nowSec() + 3600,
    ...options.claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt', ...options.header }).sign(key.privateKey);
}

/** A JWS compact token put together by hand, for headers no library will sign. */
export function handMade(header: object, payload: object, signature = ''): string {
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc(header)}.${enc(payload)}.${signature}`;
}
