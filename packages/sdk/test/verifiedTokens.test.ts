// The verifier's cache of already-verified tokens (src/verifiedTokens.ts): a hit skips the
// signature check, and nothing else changes.
import nodeCrypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '../src/server.js';
import { MAX_ENTRY_AGE_MS, VerifiedTokens } from '../src/verifiedTokens.js';
import { AUDIENCE, ISSUER, newKey, nowSec, serveJwks, signToken, type KeyPair } from './helpers/jwks-server.js';

let key: KeyPair;
let jwks: Awaited<ReturnType<typeof serveJwks>>;
const NOW = new Date('2025-06-01T12:00:00.000Z');

beforeAll(async () => {
  key = await newKey('key-1');
  jwks = await serveJwks([key]);
});
afterAll(async () => {
  await jwks.close();
});

// Only Date is faked (the JWKS goes over the real network); every signature check (node:crypto's verify, src/jwsVerify.ts) is counted.
let signatureChecks: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  signatureChecks = vi.spyOn(nodeCrypto, 'verify');
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const verifierWith = (cacheSize?: number) =>
  createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url, ...(cacheSize !== undefined && { cacheSize }) });

describe('verified-token cache', () => {
  it('a token seen again is answered without a second signature check, with the same claims', async () => {
    const verifier = verifierWith();
    const token = await signToken(key);
    const first = await verifier.verify(token);
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    await expect(verifier.verify(token)).resolves.toEqual(first);
    expect(signatureChecks).toHaveBeenCalledTimes(1);
  });

  it('cacheSize 0 turns it off', async () => {
    const verifier = verifierWith(0);
    const token = await signToken(key);
    await verifier.verify(token);
    await verifier.verify(token);
    expect(signatureChecks).toHaveBeenCalledTimes(2);
  });

  it('an expired cached token is refused (TOKEN_EXPIRED, same 2 s tolerance) and dropped', async () => {
    const verifier = verifierWith();
    const token = await signToken(key, { exp: nowSec() + 10 });
    await verifier.verify(token);
    vi.setSystemTime(NOW.getTime() + 11_000); // 1 s past exp: within the tolerance
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    vi.setSystemTime(NOW.getTime() + 12_000); // 2 s past exp: jose's `exp <= now - tolerance`
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    // Dropped: the next look goes to jose again, which refuses it as well.
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
  });

  it('an expired entry is dropped from the map itself', () => {
    const cache = new VerifiedTokens(10, 2);
    cache.remember('t', { sub: 's', sid: 'x', role: 'user', jti: 'j', iat: nowSec(), exp: nowSec() + 1 });
    vi.setSystemTime(NOW.getTime() + 3_000);
    expect(cache.lookup('t')).toEqual({ found: 'expired' });
    expect(cache.size).toBe(0);
  });

  it('a token that fails is never cached: each attempt is checked in full and refused', async () => {
    const verifier = verifierWith();
    const wrongAudience = await signToken(key, { claims: { aud: 'another-api' } });
    const noSid = await signToken(key, { claims: { sid: undefined } });
    for (const token of [wrongAudience, wrongAudience, noSid, noSid]) {
      await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    }
    expect(signatureChecks).toHaveBeenCalledTimes(4);
  });

  it('a token refused for want of the key set (503) is not cached either', async () => {
    const offline = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: 'http://127.0.0.1:9/jwks.json' });
    const token = await signToken(key);
    await expect(offline.verify(token)).rejects.toMatchObject({ status: 503 });
    await expect(offline.verify(token)).rejects.toMatchObject({ status: 503 });
  });

  it('is bounded: past cacheSize the oldest token is verified again', async () => {
    const verifier = verifierWith(2);
    const tokens = await Promise.all(['a', 'b', 'c'].map((sub) => signToken(key, { claims: { sub } })));
    for (const token of tokens) await verifier.verify(token);
    expect(signatureChecks).toHaveBeenCalledTimes(3);
    await expect(verifier.verify(tokens[2]!)).resolves.toMatchObject({ sub: 'c' });
    expect(signatureChecks).toHaveBeenCalledTimes(3);
    await expect(verifier.verify(tokens[0]!)).resolves.toMatchObject({ sub: 'a' });
    expect(signatureChecks).toHaveBeenCalledTimes(4);
  });

  it('the map never holds more than its size', () => {
    const cache = new VerifiedTokens(3, 2);
    for (let i = 0; i < 50; i++) cache.remember(`t${i}`, { sub: `s${i}`, sid: 'x', role: 'user', jti: 'j', iat: nowSec(), exp: nowSec() + 600 });
    expect(cache.size).toBe(3);
    expect(cache.lookup('t46')).toEqual({ found: 'nothing' });
    expect(cache.lookup('t49')).toMatchObject({ found: 'claims', claims: { sub: 's49' } });
  });

  it('an entry is verified again after MAX_ENTRY_AGE_MS even before exp', async () => {
    const verifier = verifierWith();
    const token = await signToken(key, { exp: nowSec() + 3600 });
    await verifier.verify(token);
    vi.setSystemTime(NOW.getTime() + MAX_ENTRY_AGE_MS + 1);
    await verifier.verify(token);
    expect(signatureChecks).toHaveBeenCalledTimes(2);
  });

  it('a caller editing the claims it got does not edit the cache', async () => {
    const verifier = verifierWith();
    const token = await signToken(key, { claims: { amr: ['pwd'] } });
    const first = await verifier.verify(token);
    first.role = 'admin';
    first.amr!.push('mfa');
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'user', amr: ['pwd'] });
  });

  it('a re-spelt copy of a cached token is still refused before the cache is consulted', async () => {
    const verifier = verifierWith();
    const token = await signToken(key);
    await verifier.verify(token);
    const [h, p, s] = token.split('.') as [string, string, string];
    await expect(verifier.verify(`${h}.${p}=.${s}`)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('refuses a bad cacheSize', () => {
    expect(() => verifierWith(-1)).toThrow(RangeError);
    expect(() => verifierWith(1.5)).toThrow(RangeError);
  });
});
