// createVerifier against a real JWKS served over HTTP on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { exportSPKI, SignJWT } from 'jose';
import { createVerifier, type Verifier } from '../src/server.js';
import { AUDIENCE, handMade, ISSUER, newKey, nowSec, serveJwks, signToken, type KeyPair } from './helpers/jwks-server.js';
import { nonCanonicalSpellings, withUnusedBitSet } from '@portcullis/testing/nonCanonical';

let key: KeyPair;
let jwks: Awaited<ReturnType<typeof serveJwks>>;
let verifier: Verifier;

beforeAll(async () => {
  key = await newKey('key-1');
  jwks = await serveJwks([key]);
  verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url });
});

afterAll(async () => {
  await jwks.close();
});

// Freeze only the clock (the JWKS still goes over the real network), so "1 s past exp"
// cannot drift into 2 s between signing and verifying.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2025-06-01T12:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

async function expectCode(token: string, code: string): Promise<void> {
  await expect(verifier.verify(token)).rejects.toMatchObject({ name: 'AuthError', status: 401, code });
}

const basePayload = () => ({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', sid: 'sess-1', role: 'user', jti: 'j', iat: nowSec(), exp: nowSec() + 3600 });

describe('createVerifier', () => {
  it('accepts a valid token and returns its claims', async () => {
    const exp = nowSec() + 600;
    const claims = await verifier.verify(await signToken(key, { exp, claims: { role: 'admin' } }));
    expect(claims).toEqual({ sub: 'user-1', sid: 'sess-1', role: 'admin', jti: 'jti-1', iat: nowSec() - 60, exp });
  });

  it('passes amr through when the server adds it (ADMIN_REQUIRE_MFA); a malformed one -> INVALID_TOKEN', async () => {
    const claims = await verifier.verify(await signToken(key, { claims: { amr: ['pwd', 'otp', 'mfa'] } }));
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    await expectCode(await signToken(key, { claims: { amr: 'mfa' } }), 'INVALID_TOKEN');
  });

  it('expired -> TOKEN_EXPIRED', async () => {
    await expectCode(await signToken(key, { exp: nowSec() - 60 }), 'TOKEN_EXPIRED');
  });

  it('1 s past exp is within the 2 s tolerance; 3 s is not', async () => {
    await expect(verifier.verify(await signToken(key, { exp: nowSec() - 1 }))).resolves.toMatchObject({ sub: 'user-1' });
    await expectCode(await signToken(key, { exp: nowSec() - 3 }), 'TOKEN_EXPIRED');
  });

  it('wrong audience -> INVALID_TOKEN', async () => {
    await expectCode(await signToken(key, { claims: { aud: 'another-api' } }), 'INVALID_TOKEN');
  });

  it('wrong issuer -> INVALID_TOKEN', async () => {
    await expectCode(await signToken(key, { claims: { iss: 'http://evil.test' } }), 'INVALID_TOKEN');
  });

  it('wrong or missing typ -> INVALID_TOKEN', async () => {
    await expectCode(await signToken(key, { header: { typ: 'JWT' } }), 'INVALID_TOKEN');
    await expectCode(await signToken(key, { header: { typ: undefined } }), 'INVALID_TOKEN');
  });

  it('alg none (unsigned) -> INVALID_TOKEN', async () => {
    await expectCode(handMade({ alg: 'none', typ: 'at+jwt', kid: key.kid }, basePayload()), 'INVALID_TOKEN');
  });

  it('HS256 signed with the public key bytes -> INVALID_TOKEN', async () => {
    const secret = new TextEncoder().encode(await exportSPKI(key.publicKey));
    const forged = await new SignJWT(basePayload()).setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' }).sign(secret);
    await expectCode(forged, 'INVALID_TOKEN');
  });

  it('signed by a key not in the JWKS -> INVALID_TOKEN (same kid or another)', async () => {
    const impostor = await newKey('key-1');
    await expectCode(await signToken(impostor), 'INVALID_TOKEN');
    await expectCode(await signToken(await newKey('key-2')), 'INVALID_TOKEN');
  });

  it('missing sid, role, jti or sub -> INVALID_TOKEN', async () => {
    for (const claim of ['sid', 'role', 'jti', 'sub']) {
      await expectCode(await signToken(key, { claims: { [claim]: undefined } }), 'INVALID_TOKEN');
    }
  });

  it('garbage and empty tokens -> INVALID_TOKEN', async () => {
    await expectCode('not-a-jwt', 'INVALID_TOKEN');
    await expectCode('', 'INVALID_TOKEN');
  });

  it('a padded, standard-alphabet or unused-bit spelling of a good token -> INVALID_TOKEN', async () => {
    const [h, p, s] = (await signToken(key)).split('.') as [string, string, string];
    await expect(verifier.verify(`${h}.${p}.${s}`)).resolves.toMatchObject({ sub: 'user-1' });
    for (const signature of nonCanonicalSpellings(s)) await expectCode(`${h}.${p}.${signature}`, 'INVALID_TOKEN');
    await expectCode(`${h}=.${p}.${s}`, 'INVALID_TOKEN');
  });

  it('an authentic signature over a header or payload with unused bits set -> INVALID_TOKEN', async () => {
    // JSON 1 byte past a multiple of 3: the segment's last character has 4 unused bits.
    const segment = (value: object) => {
      for (let n = 0; ; n++) {
        const json = JSON.stringify({ ...value, pad: 'x'.repeat(n) });
        if (Buffer.byteLength(json) % 3 === 1) return Buffer.from(json).toString('base64url');
      }
    };
    const sign = async (h: string, p: string) =>
      `${h}.${p}.${Buffer.from(await crypto.subtle.sign('Ed25519', key.privateKey, new TextEncoder().encode(`${h}.${p}`))).toString('base64url')}`;
    const header = segment({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' });
    const payload = segment(basePayload());
    await expect(verifier.verify(await sign(header, payload))).resolves.toMatchObject({ sub: 'user-1' });
    await expectCode(await sign(withUnusedBitSet(header)!, payload), 'INVALID_TOKEN');
    await expectCode(await sign(header, withUnusedBitSet(payload)!), 'INVALID_TOKEN');
  });

  it('an unreachable JWKS is 503 SERVICE_UNAVAILABLE, not a bad token', async () => {
    const offline = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: 'http://127.0.0.1:9/jwks.json' });
    await expect(offline.verify(await signToken(key))).rejects.toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it('refuses unsafe options', () => {
    const base = { issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url };
    expect(() => createVerifier({ ...base, algorithms: ['HS256' as never] })).toThrow(TypeError);
    expect(() => createVerifier({ ...base, algorithms: ['none' as never] })).toThrow(TypeError);
    expect(() => createVerifier({ ...base, algorithms: [] })).toThrow(TypeError);
    expect(() => createVerifier({ ...base, clockToleranceSec: 3 })).toThrow(RangeError);
  });
});
