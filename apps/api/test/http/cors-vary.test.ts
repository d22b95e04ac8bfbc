import { describe, expect } from 'vitest';
import { request } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

/**
 * Cache poisoning through CORS: an answer whose headers depend on Origin must say so with
 * `Vary: Origin` whether the origin was allowed, refused or absent, or a shared cache could
 * serve one origin's answer (with, or without, its CORS headers) to another.
 */

const APP = 'http://app.test';
const EVIL = 'https://evil.example';
const test = apiTest({ CORS_ORIGINS: APP });

test.beforeAll(startApi);

const varies = (headers: Headers) =>
  (headers.get('vary') ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .includes('origin');

const REQUESTS: [method: string, path: string, body?: unknown][] = [
  ['GET', '/healthz'],
  ['GET', '/.well-known/jwks.json'],
  ['GET', '/api/auth/me'],
  ['POST', '/api/auth/login', {}],
  ['GET', '/api/no-such-route'],
];

describe('Vary: Origin on every answer', () => {
  for (const [label, origin] of [
    ['an allowed Origin', APP],
    ['a refused Origin', EVIL],
    ['Origin "null"', 'null'],
    ['no Origin', undefined],
  ] as const) {
    test(`requests with ${label}`, async ({ server }) => {
      for (const [method, path, body] of REQUESTS) {
        const res = await request(server.url, method, path, { body, headers: origin ? { origin } : {} });
        expect.soft(varies(res.headers), `${method} ${path}: vary=${res.headers.get('vary')}`).toBe(true);
        expect.soft(res.headers.get('access-control-allow-origin'), `${method} ${path}`).toBe(origin === APP ? APP : null);
      }
    });

    test(`preflights with ${label}`, async ({ server }) => {
      for (const path of ['/api/auth/refresh', '/api/projects']) {
        const res = await request(server.url, 'OPTIONS', path, { headers: { ...(origin && { origin }), 'access-control-request-method': 'POST' } });
        expect.soft(varies(res.headers), `OPTIONS ${path}: vary=${res.headers.get('vary')}`).toBe(true);
        expect.soft(res.headers.get('access-control-allow-origin'), `OPTIONS ${path}`).toBe(origin === APP ? APP : null);
      }
    });
  }

  test('names Origin once, beside any other Vary', async ({ server }) => {
    const res = await request(server.url, 'GET', '/healthz', { headers: { origin: APP } });
    expect((res.headers.get('vary') ?? '').toLowerCase().match(/origin/g)).toHaveLength(1);
  });
});
