import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/services/keyRing.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Two key rings on one database stand for two API instances. One rotates; the other is asked
 * about the new kid before any announcement reached it, and just after it reloaded for some
 * other reason. It must find the key (waiting briefly), not refuse the token.
 */

describe('a kid rotated in by another instance', () => {
  let server: TestServer;
  let other: KeyRing;
  beforeAll(async () => {
    server = await startServer();
    other = new KeyRing({ db: server.ctx.db, alg: 'EdDSA', encryptionKey: server.ctx.keys.encryption, retiredKeyTtlMs: 60_000, rotationIntervalMs: 30 * 86_400_000 });
    await other.start();
  });
  afterAll(() => server.close());

  it('is found even right after a reload, without any bus message', async () => {
    // A forged but well-formed kid makes the other ring reload now: its throttle is fresh.
    expect(await other.verificationKey(randomBytes(32).toString('base64url'), 'EdDSA')).toBeUndefined();
    await server.ctx.keyRing.rotate(true);
    const { kid } = server.ctx.keyRing.signingKey();
    const started = Date.now();
    expect(await other.verificationKey(kid, 'EdDSA')).toBeDefined();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a well-formed kid that stays unknown is refused at once afterwards; a malformed one never reloads', async () => {
    const bogus = randomBytes(32).toString('base64url');
    expect(await other.verificationKey(bogus, 'EdDSA')).toBeUndefined();
    const started = Date.now();
    for (let i = 0; i < 20; i++) expect(await other.verificationKey(bogus, 'EdDSA')).toBeUndefined();
    expect(await other.verificationKey("' OR 1=1 --", 'EdDSA')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(200);
  });
});
