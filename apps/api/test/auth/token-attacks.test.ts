import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, describe, expect } from 'vitest';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { b64url, BEARER_ENDPOINTS, claimsFrom, signWithServerKey, unsigned } from './attacks.js';
import { nonCanonicalSpellings, withUnusedBitSet } from '@portcullis/testing/nonCanonical';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest({ REFRESH_REUSE_GRACE: '1s' });

/**
 * Attack catalogue, part 1: access and refresh tokens. Every forged token is sent to every
 * bearer endpoint of the contract and must be refused with 401 in the contract's error shape.
 */

let victim: Awaited<ReturnType<typeof registerUser>>;
let attackerJwks: Server;
let attackerHits = 0;
let attackerUrl: string;

test.beforeAll(async ({ server }) => {
  victim = await registerUser(server.url, {}, { 'x-token-transport': 'body' });
  // A JWKS the attacker controls: the server must never fetch it.
  attackerJwks = createServer((_req, res) => {
    attackerHits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [] }));
  });
  await new Promise<void>((r) => attackerJwks.listen(0, '127.0.0.1', r));
  attackerUrl = `http://127.0.0.1:${(attackerJwks.address() as AddressInfo).port}/jwks.json`;
});
afterAll(async () => {
  attackerJwks.closeAllConnections();
  await new Promise((r) => attackerJwks.close(r));
});

/** The token is refused on every bearer endpoint, as 401 with the given code and RFC 6750 header. */
async function refusedEverywhere(server: TestServer, token: string, code: 'INVALID_TOKEN' | 'TOKEN_EXPIRED' = 'INVALID_TOKEN') {
  for (const [method, path] of BEARER_ENDPOINTS) {
    const res = await request(server.url, method, path, { headers: bearer(token), body: method === 'GET' || method === 'DELETE' ? undefined : {} });
    expect.soft(res.status, `${method} ${path}`).toBe(401);
    expect.soft(res.body?.error?.code, `${method} ${path}`).toBe(code);
    expect.soft(res.headers.get('www-authenticate'), `${method} ${path}`).toMatch(/^Bearer error="invalid_token"/);
  }
}

const serverKid = (server: TestServer) => server.ctx.keyRing.signingKey().kid;

describe('token forgery and algorithm confusion', () => {
  test('the victim’s real token works (control)', async ({ server }) => {
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(victim.accessToken) })).status).toBe(200);
  });

  test('alg "none" (and its case variants) is refused', async ({ server }) => {
    const payload = claimsFrom(victim.accessToken, { role: 'admin' });
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) await refusedEverywhere(server, unsigned({ alg, typ: 'at+jwt', kid: serverKid(server) }, payload));
  });

  test('HS256 signed with the server’s public key as the HMAC secret is refused', async ({ server }) => {
    const jwk = server.ctx.keyRing.jwks().keys[0]!;
    for (const secret of [Buffer.from(jwk.x!, 'base64url'), Buffer.from(JSON.stringify(jwk)), Buffer.from(jwk.x!)]) {
      const token = await new SignJWT(claimsFrom(victim.accessToken, { role: 'admin' }))
        .setProtectedHeader({ alg: 'HS256', kid: serverKid(server), typ: 'at+jwt' })
        .sign(secret);
      await refusedEverywhere(server, token);
    }
  });

  test('RS256, ES256 and EdDSA tokens signed with the attacker’s own key under the server’s kid are refused', async ({ server }) => {
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const { privateKey } = await generateKeyPair(alg);
      const token = await new SignJWT(claimsFrom(victim.accessToken, { role: 'admin' }))
        .setProtectedHeader({ alg, kid: serverKid(server), typ: 'at+jwt' })
        .sign(privateKey);
      await refusedEverywhere(server, token);
    }
  });

  test('a real token with its payload changed (role escalation) is refused', async ({ server }) => {
    const [h, , s] = victim.accessToken.split('.');
    await refusedEverywhere(server, `${h}.${b64url(claimsFrom(victim.accessToken, { role: 'admin' }))}.${s}`);
  });

  test('kid path traversal is refused without touching the file system', async ({ server }) => {
    for (const kid of ['../../../../../../dev/null', '/etc/passwd', '..\\..\\windows\\win.ini', 'file:///dev/null']) {
      await refusedEverywhere(
        server,
        await new SignJWT(claimsFrom(victim.accessToken)).setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' }).sign(new Uint8Array(32)),
      );
      await refusedEverywhere(server, unsigned({ alg: 'EdDSA', kid, typ: 'at+jwt' }, claimsFrom(victim.accessToken), 'AAAA'));
    }
  });

  test('kid SQL injection is refused and the key table is intact', async ({ server }) => {
    const before = await server.query('select kid from signing_keys');
    for (const kid of ["' OR '1'='1", "x'; DROP TABLE signing_keys;--", `${serverKid(server)}' --`, '" OR ""="']) {
      await refusedEverywhere(server, unsigned({ alg: 'EdDSA', kid, typ: 'at+jwt' }, claimsFrom(victim.accessToken), 'AAAA'));
    }
    expect(await server.query('select kid from signing_keys')).toEqual(before);
  });

  test('jku, x5u and embedded jwk headers are ignored: nothing is fetched, the attacker’s key is not used', async ({ server }) => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA');
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    for (const extra of [{ jku: attackerUrl }, { x5u: attackerUrl }, { jwk }, { jku: attackerUrl, jwk }]) {
      const token = await new SignJWT(claimsFrom(victim.accessToken)).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt', ...extra }).sign(privateKey);
      await refusedEverywhere(server, token);
    }
    // Even a token the server really signed does not make it follow a jku.
    const authentic = await signWithServerKey(server, claimsFrom(victim.accessToken), { jku: attackerUrl, x5u: attackerUrl });
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(authentic) })).status).toBe(200);
    expect(attackerHits).toBe(0);
  });

  test('a crit header naming an unknown extension is refused, even when authentic', async ({ server }) => {
    await refusedEverywhere(server, await signWithServerKey(server, claimsFrom(victim.accessToken), { crit: ['exp-ext'], 'exp-ext': true }));
  });

  test('a token of another type (typ JWT, none, or a refresh token) is refused', async ({ server }) => {
    await refusedEverywhere(server, await signWithServerKey(server, claimsFrom(victim.accessToken), { typ: 'JWT' }));
    const { kid, alg, key } = server.ctx.keyRing.signingKey();
    await refusedEverywhere(server, await new SignJWT(claimsFrom(victim.accessToken)).setProtectedHeader({ alg, kid }).sign(key));
    await refusedEverywhere(server, victim.refreshToken);
  });
});

describe('non-canonical base64url: one token, one spelling', () => {
  /** A segment whose JSON is 1 byte past a multiple of 3, so its last character has 4 unused bits. */
  const segmentWithSpareBits = (value: Record<string, unknown>) => {
    for (let n = 0; ; n++) {
      const json = JSON.stringify({ ...value, pad: 'x'.repeat(n) });
      if (Buffer.byteLength(json) % 3 === 1) return b64url(json);
    }
  };
  /** Signs exactly these two segments with the server's key: authentic, whatever their spelling. */
  async function signSegments(server: TestServer, header: string, payload: string): Promise<string> {
    const { alg, key } = server.ctx.keyRing.signingKey();
    const algorithm = alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
    const signature = await crypto.subtle.sign(algorithm, key, new TextEncoder().encode(`${header}.${payload}`));
    return `${header}.${payload}.${Buffer.from(signature).toString('base64url')}`;
  }

  test('the victim’s own token with its signature padded, in the standard alphabet or with unused bits set is refused', async ({ server }) => {
    const [h, p, s] = victim.accessToken.split('.') as [string, string, string];
    const spellings = nonCanonicalSpellings(s);
    expect(spellings.length).toBeGreaterThanOrEqual(3);
    for (const signature of spellings) await refusedEverywhere(server, `${h}.${p}.${signature}`);
    for (const token of [`${h}=.${p}.${s}`, `${h}.${p}=.${s}`, `${h}.${p}.${s}.`, `${h}.${p}.${s}~`]) await refusedEverywhere(server, token);
  });

  test('an authentic signature over a header or payload with unused bits set is refused', async ({ server }) => {
    const { alg, kid } = server.ctx.keyRing.signingKey();
    const header = segmentWithSpareBits({ alg, kid, typ: 'at+jwt' });
    const payload = segmentWithSpareBits(claimsFrom(victim.accessToken));
    // Control: the same segments spelt canonically are a good token.
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(await signSegments(server, header, payload)) })).status).toBe(200);
    await refusedEverywhere(server, await signSegments(server, withUnusedBitSet(header)!, payload));
    await refusedEverywhere(server, await signSegments(server, header, withUnusedBitSet(payload)!));
  });
});

describe('claims: expired, not yet valid, wrong issuer, wrong audience', () => {
  const now = () => Math.floor(Date.now() / 1000);

  test('an expired token (beyond 2 s of tolerance) is refused as TOKEN_EXPIRED', async ({ server }) => {
    await refusedEverywhere(server, await signWithServerKey(server, claimsFrom(victim.accessToken, { iat: now() - 900, exp: now() - 5 })), 'TOKEN_EXPIRED');
  });

  test('a not-yet-valid token (nbf or iat in the future) is refused', async ({ server }) => {
    await refusedEverywhere(server, await signWithServerKey(server, claimsFrom(victim.accessToken, { nbf: now() + 300 })));
    await refusedEverywhere(server, await signWithServerKey(server, claimsFrom(victim.accessToken, { iat: now() + 300, exp: now() + 900 })));
  });

  test('a token for another issuer is refused', async ({ server }) => {
    for (const iss of ['https://evil.example', 'http://portcullis.test.evil.example', 'http://portcullis.tes']) {
      await refusedEverywhere(server, await signWithServerKey(server, claimsFrom(victim.accessToken, { iss })));
    }
  });

  test('a token for another audience is refused', async ({ server }) => {
    for (const aud of ['other-service', ['other-service'], 'portcullis-admin']) {
      await refusedEverywhere(server, await signWithServerKey(server, claimsFrom(victim.accessToken, { aud })));
    }
  });

  test('a token missing sid, sub or jti, or with a non-UUID subject, is refused', async ({ server }) => {
    for (const change of [{ sid: undefined }, { sub: undefined }, { jti: undefined }, { sub: "1' OR '1'='1" }, { role: 'root' }]) {
      await refusedEverywhere(server, await signWithServerKey(server, claimsFrom(victim.accessToken, change)));
    }
  });
});

describe('refresh token theft and replay', () => {
  test('a stolen refresh token replayed after rotation revokes the whole session', async ({ server }) => {
    const alice = await registerUser(server.url, {}, { 'x-token-transport': 'body' });
    const rotate = (refreshToken: string) =>
      request(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken }, headers: { 'x-token-transport': 'body' } });
    const legit = await rotate(alice.refreshToken);
    expect(legit.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_200)); // past REFRESH_REUSE_GRACE
    const replay = await rotate(alice.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    // The thief's and the owner's current tokens are both dead now.
    expect((await rotate(legit.body.refreshToken)).status).toBe(401);
    expect((await request(server.url, 'GET', '/api/auth/me', { headers: bearer(legit.body.accessToken) })).status).toBe(401);
    const [audit] = await server.query(`select type from audit_events where user_id = '${alice.user.id}' and type = 'refresh.reuse_detected'`);
    expect(audit).toBeDefined();
  });

  test('a guessed or truncated refresh token is refused', async ({ server }) => {
    for (const refreshToken of ['x', victim.refreshToken.slice(0, -1), victim.refreshToken + 'A', "' OR 1=1 --", 'a'.repeat(512)]) {
      const res = await request(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken } });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_TOKEN');
    }
  });

  test('a refresh token is not accepted from the query string', async ({ server }) => {
    const res = await request(
      server.url,
      'POST',
      `/api/auth/refresh?refreshToken=${encodeURIComponent(victim.refreshToken)}&refresh_token=${encodeURIComponent(victim.refreshToken)}`,
    );
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  test('an access token is not accepted from the query string', async ({ server }) => {
    const res = await request(server.url, 'GET', `/api/auth/me?access_token=${victim.accessToken}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});
