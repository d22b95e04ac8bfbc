import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { baseEnv, freshDatabase, sleep, spawnInstance, stopInstance, waitReady, type ApiInstance } from './helpers/apiInstances.js';

/**
 * Key rotation across instances (issue 17, item 7): when POST /api/admin/keys/rotate returns, the
 * new key is already in the other instance's JWKS, in every trial; no instance signs with it
 * before its activation (KEY_PREPUBLISH later); after that both sign with it and every token
 * verifies on both instances and against either JWKS. Two API processes on one PostgreSQL
 * database (needs DATABASE_URL: the embedded database is one process only; the single-instance
 * part is in test/keys/rotation.test.ts).
 */

const BASE_URL = process.env.DATABASE_URL;
const TRIALS = 8;
const ISSUER = 'http://portcullis.faults.test';
const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;
const jwks = async (instance: ApiInstance) => (await request<JSONWebKeySet>(instance.url, 'GET', '/.well-known/jwks.json')).body;

describe.skipIf(!BASE_URL)('key pre-publication on two instances (needs DATABASE_URL)', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let a: ApiInstance;
  let b: ApiInstance;

  beforeAll(async () => {
    database = await freshDatabase(BASE_URL!);
    // Long enough to see the old key still signing after the answer, short enough for 8 trials.
    const env = baseEnv(database.url, { KEY_PREPUBLISH: '2s', RATE_LIMITS: 'off' });
    a = await spawnInstance(env);
    await waitReady(a);
    b = await spawnInstance(env);
    await waitReady(b);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([a && stopInstance(a), b && stopInstance(b)]);
    await database?.drop();
  });

  it(`the new kid is in the other instance's JWKS when rotate returns (${TRIALS} of ${TRIALS}), signs only from activatesAt, and verifies everywhere`, async () => {
    const boss = await registerUser(a.url);
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    await db.query(`update users set role = 'admin' where id = $1`, [boss.user.id]);
    await db.end();
    const signIn = async (instance: ApiInstance) =>
      (await request(instance.url, 'POST', '/api/auth/login', { body: { email: boss.email, password: STRONG_PASSWORD } })).body.accessToken as string;

    const missing: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      // Alternate which instance is asked to rotate.
      const [rotator, other] = trial % 2 ? [b, a] : [a, b];
      const adminToken = await signIn(rotator);
      const rotated = await request(rotator.url, 'POST', '/api/admin/keys/rotate', { headers: bearer(adminToken) });
      expect(rotated.status).toBe(200);
      const { kid, retiredKid, activatesAt } = rotated.body as { kid: string; retiredKid: string; activatesAt: string };
      const [otherKeys, ownKeys] = await Promise.all([jwks(other), jwks(rotator)]);
      if (!otherKeys.keys.some((k) => k.kid === kid)) missing.push(`trial ${trial}`);
      expect(ownKeys.keys.map((k) => k.kid)).toContain(kid);

      // Before activation neither instance signs with it (asked only while activation is still ahead).
      const early = await Promise.all([signIn(a), signIn(b)]);
      if (Date.now() < Date.parse(activatesAt) - 100) {
        for (const token of early) expect(kidOf(token)).toBe(retiredKid);
      }

      await sleep(Math.max(0, Date.parse(activatesAt) - Date.now()) + 100);
      const late = await Promise.all([signIn(a), signIn(b)]);
      for (const token of late) expect(kidOf(token)).toBe(kid);
      // The JWKS either instance served when rotate returned verifies what both sign now.
      for (const keys of [otherKeys, ownKeys]) {
        for (const token of late) await jwtVerify(token, createLocalJWKSet(keys), { issuer: ISSUER, audience: 'portcullis' });
      }
      for (const instance of [a, b]) {
        for (const token of [...early, ...late]) expect((await request(instance.url, 'GET', '/api/auth/me', { headers: bearer(token) })).status).toBe(200);
      }
    }
    console.log(`new kid in the other instance's JWKS when rotate returned: ${TRIALS - missing.length} of ${TRIALS}`);
    expect(missing).toEqual([]);
  }, 180_000);
});
