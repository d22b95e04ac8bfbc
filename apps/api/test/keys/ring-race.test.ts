import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, vi } from 'vitest';
import { KeyRing } from '../../src/services/keyRing.js';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest();

/**
 * Two key rings on one database stand for two API instances. One rotates; the other is asked
 * about the new kid before any announcement reached it, and just after it reloaded for some
 * other reason. It must find the key (waiting briefly), not refuse the token.
 */

/** Watches the ring's reads of the signing_keys table (its private load()). */
const spyOnDatabaseReads = (ring: KeyRing) => vi.spyOn(ring as unknown as { load: () => Promise<void> }, 'load');

describe('a kid rotated in by another instance', () => {
  let other: KeyRing;
  test.beforeAll(async ({ server }) => {
    other = new KeyRing({
      db: server.ctx.db,
      alg: 'EdDSA',
      encryptionKey: server.ctx.keys.encryption,
      retiredKeyTtlMs: 60_000,
      rotationIntervalMs: 30 * 86_400_000,
    });
    await other.start();
  });
  afterEach(() => vi.restoreAllMocks());

  test('is found even right after a reload, without any bus message', async ({ server }) => {
    // A forged but well-formed kid makes the other ring reload now: its throttle is fresh.
    expect(await other.verificationKey(randomBytes(32).toString('base64url'), 'EdDSA')).toBeUndefined();
    // Signing at once (no pre-publication): the kid is one the other ring has never seen.
    await server.ctx.keyRing.rotate(true, undefined, 0);
    const { kid } = server.ctx.keyRing.signingKey();
    // It waits out the reload throttle (1 s) and reads the database once more. No bound on the
    // time taken: on a busy machine the wait and the query can take seconds, and this ring has no
    // bus and no timer, so nothing but the on-demand reload can bring it the key. Counting database
    // reads instead: a ring that refused without reloading fails both expectations.
    const reloads = spyOnDatabaseReads(other);
    expect(await other.verificationKey(kid, 'EdDSA')).toBeDefined();
    expect(reloads).toHaveBeenCalled();
  });

  test('a well-formed kid that stays unknown is refused at once afterwards; a malformed one never reloads', async () => {
    const bogus = randomBytes(32).toString('base64url');
    expect(await other.verificationKey(bogus, 'EdDSA')).toBeUndefined();
    // "At once" means without touching the database again. That was an elapsed-time bound (200 ms
    // for 21 look-ups), which a busy machine can cross with no reload at all; the reloads are
    // counted instead. A ring that forgot the refused kid would reload (once a second) for each.
    const reloads = spyOnDatabaseReads(other);
    for (let i = 0; i < 20; i++) expect(await other.verificationKey(bogus, 'EdDSA')).toBeUndefined();
    expect(await other.verificationKey("' OR 1=1 --", 'EdDSA')).toBeUndefined();
    expect(reloads).not.toHaveBeenCalled();
  });
});
