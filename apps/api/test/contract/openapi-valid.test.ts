import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect } from 'vitest';
import { request } from '@portcullis/testing/http';
import { apiRoutes } from '../../src/routes/index.js';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest();

/**
 * The served /api/openapi.json as a whole: a valid OpenAPI 3.1 document, every operation with a
 * summary, every route() endpoint in it, and everything beyond the HTTP contract marked as such.
 */

/** The operations the HTTP contract (shared/spec/http-api.md) defines; anything else is an extension. */
const CONTRACT = new Set([
  'post /api/auth/register',
  'post /api/auth/login',
  'post /api/auth/login/mfa',
  'post /api/auth/refresh',
  'post /api/auth/logout',
  'post /api/auth/logout-all',
  'get /api/auth/me',
  'get /api/auth/sessions',
  'delete /api/auth/sessions/{id}',
  'post /api/auth/password/change',
  'post /api/auth/password/forgot',
  'post /api/auth/password/reset',
  'post /api/auth/email/verify',
  'post /api/auth/email/verify/resend',
  'post /api/auth/mfa/totp/setup',
  'post /api/auth/mfa/totp/enable',
  'post /api/auth/mfa/totp/disable',
  'get /api/auth/oauth/providers',
  'get /api/auth/oauth/{provider}/authorize',
  'get /api/auth/oauth/{provider}/callback',
  'get /api/projects',
  'post /api/projects',
  'get /api/projects/{id}',
  'patch /api/projects/{id}',
  'delete /api/projects/{id}',
  'get /api/admin/users',
  'get /api/admin/users/{id}',
  'patch /api/admin/users/{id}',
  'delete /api/admin/users/{id}',
  'post /api/admin/users/{id}/sessions/revoke',
  'get /api/admin/audit-events',
  'get /.well-known/jwks.json',
  'get /healthz',
  'get /readyz',
  'get /api/openapi.json',
  'get /api/docs',
  'get /api/dev/outbox',
]);

/**
 * Extensions still described by hand (apps/api/src/openapi/oauth.ts) without saying so; their
 * definitions must mark them once ported (the check below then applies in full). Shrinks to empty.
 */
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

interface Operation {
  summary?: string;
  description?: string;
  responses?: Record<string, unknown>;
  'x-portcullis-extension'?: boolean;
}
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

const keyOf = (method: string, path: string) => `${method.toLowerCase()} ${path.replace(/:(\w+)/g, '{$1}')}`;

describe('the served OpenAPI document', () => {
  let document: OpenApi;
  let operations: [string, Operation][];
  /** `method path` of every endpoint mounted with route(), and whether its definition says extension. */
  let routed: Map<string, boolean>;

  test.beforeAll(async ({ server }) => {
    const res = await request(server.url, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    document = res.body;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.has(method))
        .map(([method, operation]): [string, Operation] => [keyOf(method, path), operation]),
    );
    routed = new Map(apiRoutes(server.ctx).map(({ endpoint }) => [keyOf(endpoint.method, endpoint.path), endpoint.extension === true]));
  });

  test('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as never);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)?.slice(0, 4000)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toMatch(/^3\.1/);
  });

  test('gives every operation a summary and at least one response', () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const [key, operation] of operations) {
      expect(operation.summary?.trim(), key).toBeTruthy();
      expect(Object.keys(operation.responses ?? {}).length, key).toBeGreaterThan(0);
    }
  });

  test('describes every endpoint mounted with route()', () => {
    expect(routed.size).toBeGreaterThan(10);
    const described = new Set(operations.map(([key]) => key));
    expect([...routed.keys()].filter((key) => !described.has(key))).toEqual([]);
  });

  test('marks every operation beyond the contract, and none of the contract', () => {
    const unmarked: string[] = [];
    const wronglyMarked: string[] = [];
    for (const [key, operation] of operations) {
      const marked = operation['x-portcullis-extension'] === true;
      if (CONTRACT.has(key)) {
        if (marked) wronglyMarked.push(key);
        continue;
      }
      // Every operation is generated from a definition: the mark is the definition's `extension`.
      if (!marked) unmarked.push(key);
    }
    expect(unmarked, 'beyond the contract but not marked x-portcullis-extension').toEqual([]);
    expect(wronglyMarked, 'in the contract but marked as an extension').toEqual([]);
    // The definitions agree with the document (the generator copies `extension`).
    for (const [key, extension] of routed) expect(extension, key).toBe(!CONTRACT.has(key));
  });
});
