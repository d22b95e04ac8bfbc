import { describe, expect } from 'vitest';
import { apiRoutes } from '../../src/routes/index.js';
import { CORE_ENV } from '@portcullis/testing/core';
import { request } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest(CORE_ENV);

/**
 * A lightweight consistency check between the core routers and /api/openapi.json: every route
 * the core serves is described, with the right method, and every described core path is served.
 */

/** `[METHOD, /openapi/{path}]` for each route the API mounts (routes/index.ts), read from the routes themselves. */
function servedRoutes(server: TestServer): [string, string][] {
  return apiRoutes(server.ctx).map(({ endpoint }): [string, string] => [endpoint.method.toUpperCase(), endpoint.path.replace(/:(\w+)/g, '{$1}')]);
}

describe('OpenAPI document', () => {
  let document: {
    openapi: string;
    paths: Record<string, Record<string, { responses?: Record<string, unknown>; security?: unknown }>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  let served: [string, string][];
  test.beforeAll(async ({ server }) => {
    document = (await request(server.url, 'GET', '/api/openapi.json')).body;
    served = servedRoutes(server);
  });

  test('is OpenAPI 3.1', () => {
    expect(document.openapi).toBe('3.1.0');
  });

  test('finds the core routes by introspection (the check below is not vacuous)', () => {
    expect(served).toEqual(
      expect.arrayContaining([
        ['POST', '/api/auth/register'],
        ['DELETE', '/api/auth/sessions/{id}'],
        ['GET', '/readyz'],
        ['GET', '/.well-known/jwks.json'],
      ]),
    );
    expect(served.length).toBeGreaterThanOrEqual(12);
  });

  test('describes every route the core serves, with its responses', () => {
    const missing = served.filter(([method, path]) => !document.paths[path]?.[method.toLowerCase()]);
    expect(missing).toEqual([]);
    for (const [method, path] of served)
      expect(Object.keys(document.paths[path]![method.toLowerCase()]!.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
    // The MFA login step is part of the core flow, described with MFA.
    expect(document.paths['/api/auth/login/mfa']?.post).toBeDefined();
  });

  test('serves every core path it describes', async ({ server }) => {
    const corePaths = Object.keys(document.paths).filter((p) => served.some(([, path]) => path === p));
    for (const path of corePaths) {
      for (const method of Object.keys(document.paths[path]!)) {
        const res = await request(server.url, method.toUpperCase(), path.replace('{id}', '00000000-0000-4000-8000-000000000000'));
        expect(res.body?.error?.message ?? '', `${method} ${path}`).not.toMatch(/^No route for/);
      }
    }
  });

  test('marks the bearer-protected and cookie endpoints with their security scheme', () => {
    for (const [path, method] of [
      ['/api/auth/me', 'get'],
      ['/api/auth/sessions', 'get'],
      ['/api/auth/sessions/{id}', 'delete'],
      ['/api/auth/logout-all', 'post'],
    ] as const) {
      expect(document.paths[path]![method]!.security, path).toEqual([{ bearer: [] }]);
    }
    expect(JSON.stringify(document.paths['/api/auth/refresh']!.post!.security)).toContain('refreshCookie');
    for (const scheme of ['bearer', 'refreshCookie', 'sessionCookie']) expect(document.components.securitySchemes).toHaveProperty(scheme);
    expect(JSON.stringify(document.paths['/api/auth/login'])).toContain('X-Token-Transport');
  });
});
