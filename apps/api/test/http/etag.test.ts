import { get } from 'node:http';
import { describe, expect } from 'vitest';
import { request } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

/**
 * ETags (issue 12): only answers a cache may keep and revalidate carry one (the weak ETag Express
 * made, same format), and a revalidation with it is answered 304; no-store answers and the probes
 * carry none (computing it cost every answer a SHA-1 and a second socket write).
 */
const test = apiTest();

/** A GET by node:http: fetch adds `Cache-Control: no-cache` to a conditional request, which rules out a 304. */
function conditionalGet(url: string, etag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'if-none-match': etag } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}
test.beforeAll(startApi);

describe('ETag only where a cache may revalidate', () => {
  test('the JWKS (public, max-age=60) has a weak ETag, and If-None-Match with it answers 304', async ({ server }) => {
    const first = await request(server.url, 'GET', '/.well-known/jwks.json');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    expect(await conditionalGet(`${server.url}/.well-known/jwks.json`, etag!)).toBe(304);
    expect(await conditionalGet(`${server.url}/.well-known/jwks.json`, 'W/"0-nothing"')).toBe(200);
  });

  test('no-store answers, errors and the probes carry no ETag', async ({ server }) => {
    for (const [method, path, body] of [
      ['GET', '/healthz'],
      ['GET', '/api/auth/me'],
      ['POST', '/api/auth/login', {}],
      ['GET', '/api/no-such-route'],
    ] as const) {
      const res = await request(server.url, method, path, { body });
      expect(res.headers.get('etag'), `${method} ${path}`).toBeNull();
    }
  });
});
