// The verifier's key path (src/jwsVerify.ts): jose's key set hands out the JWKS keys, each turned
// into a node:crypto KeyObject and checked synchronously; a key rotation (a new kid) refetches the JWKS.
import nodeCrypto from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createVerifier } from '../src/server.js';
import { AUDIENCE, ISSUER, newKey, nowSec, signToken, type KeyPair } from './helpers/jwks-server.js';

/** A JWKS whose keys the test changes, counting how often it is fetched. */
const published: object[] = [];
let fetches = 0;
const server = createServer((_req, res) => {
  fetches++;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ keys: published }));
});
let jwksUrl = '';
const publish = async (key: KeyPair, alg = 'EdDSA') => published.push({ ...(await exportJWK(key.publicKey)), kid: key.kid, alg, use: 'sig' });

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let now = new Date('2025-06-01T12:00:00.000Z').getTime();
let signatureChecks: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  published.length = 0;
  fetches = 0;
  vi.useFakeTimers({ toFake: ['Date'], now });
  signatureChecks = vi.spyOn(nodeCrypto, 'verify');
});
afterEach(() => {
  now += 3_600_000;
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('verification keys (KeyObject path)', () => {
  it('a new kid after a rotation refetches the JWKS; the old kid still verifies without a fetch', async () => {
    const first = await newKey('key-1');
    await publish(first);
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl, cacheSize: 0 });
    await expect(verifier.verify(await signToken(first))).resolves.toMatchObject({ sub: 'user-1' });
    expect(fetches).toBe(1);
    expect(signatureChecks).toHaveBeenCalledTimes(1);

    const second = await newKey('key-2');
    await publish(second);
    // jose refetches for an unknown kid at most every 30 s.
    vi.setSystemTime(Date.now() + 31_000);
    await expect(verifier.verify(await signToken(second, { claims: { sub: 'user-2' } }))).resolves.toMatchObject({ sub: 'user-2' });
    expect(fetches).toBe(2);
    await expect(verifier.verify(await signToken(first, { claims: { jti: 'another' } }))).resolves.toMatchObject({ sub: 'user-1' });
    expect(fetches).toBe(2);
    expect(signatureChecks).toHaveBeenCalledTimes(3);
  });

  it('a token naming one key but signed by another is INVALID_TOKEN, checked by node:crypto', async () => {
    const [first, second] = [await newKey('key-1'), await newKey('key-2')];
    await publish(first);
    await publish(second);
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl });
    const forged = await signToken({ ...second, kid: 'key-1' });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    expect(signatureChecks.mock.results[0]?.value).toBe(false);
  });

  it('ES256 keys verify the same way; an EdDSA header with the EC key is refused', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const ec: KeyPair = { kid: 'ec-1', privateKey, publicKey };
    await publish(ec, 'ES256');
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl, algorithms: ['ES256', 'EdDSA'] });
    const payload = { iss: ISSUER, aud: AUDIENCE, sub: 'user-3', sid: 's', role: 'user', jti: 'j', iat: nowSec(), exp: nowSec() + 600 };
    const token = await new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'ec-1', typ: 'at+jwt' }).sign(privateKey);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-3' });
    const [, body, signature] = token.split('.');
    const confused = `${Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'ec-1', typ: 'at+jwt' })).toString('base64url')}.${body}.${signature}`;
    await expect(verifier.verify(confused)).rejects.toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
  });
});
