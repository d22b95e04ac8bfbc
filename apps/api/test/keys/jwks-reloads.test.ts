import { expect } from 'vitest';
import { request } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { FRESH_RELOAD_MS } from '../../src/services/keyRing.js';

/**
 * The JWKS is public: a flood of requests for it must not become a flood of database queries.
 * Each answer may come from a reload of the key ring at most FRESH_RELOAD_MS old (KeyRing.upToDate);
 * that a rotation is still in every instance's JWKS when it answers is keys/rotation.test.ts's.
 */

const test = apiTest({});
test.beforeAll(startApi);

test('a hundred JWKS requests in a row read the key ring about once per FRESH_RELOAD_MS, not a hundred times', async ({ server }) => {
  const ring = server.ctx.keyRing as unknown as { load: () => Promise<void> };
  const load = ring.load.bind(ring);
  let loads = 0;
  ring.load = () => {
    loads++;
    return load();
  };
  try {
    const started = performance.now();
    // One after another: each would have been a reload of its own (requests arriving together always shared one).
    for (let i = 0; i < 100; i++) {
      const answer = await request<{ keys: unknown[] }>(server.url, 'GET', '/.well-known/jwks.json');
      expect(answer.status).toBe(200);
      expect(answer.body.keys.length).toBeGreaterThan(0);
    }
    const elapsed = performance.now() - started;
    // One reload per window the requests spanned, one for the window they began in, one spare (a periodic reload).
    expect(loads).toBeLessThanOrEqual(Math.ceil(elapsed / FRESH_RELOAD_MS) + 2);
  } finally {
    ring.load = load;
  }
});
