import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { registerUser, request, STRONG_PASSWORD } from '@portcullis/testing/http';
import type { TestServer } from '@portcullis/testing/server';
import { b64url, BEARER_ENDPOINTS } from './attacks.js';
import { apiTest } from '@portcullis/testing/fixtures';

const test = apiTest();

/**
 * Property-based fuzzing with fast-check. For every JSON endpoint (those the OpenAPI document
 * describes, plus every endpoint of the contract), thousands of generated bodies, headers,
 * path parameters, query strings and tokens: the server never answers 5xx, every error is in the
 * contract's shape, and it stays up.
 */

const RUNS_PER_ENDPOINT = Number(process.env.FUZZ_RUNS ?? 100);

/** The contract's endpoints that take no bearer token; BEARER_ENDPOINTS has the others. */
const PUBLIC_ENDPOINTS: [string, string][] = [
  ['POST', '/api/auth/register'],
  ['POST', '/api/auth/login'],
  ['POST', '/api/auth/login/mfa'],
  ['POST', '/api/auth/refresh'],
  ['POST', '/api/auth/logout'],
  ['POST', '/api/auth/password/forgot'],
  ['POST', '/api/auth/password/reset'],
  ['POST', '/api/auth/email/verify'],
  ['GET', '/api/auth/session'],
  ['GET', '/api/auth/oauth/providers'],
  ['GET', '/api/auth/oauth/{provider}/authorize'],
  ['GET', '/api/auth/oauth/{provider}/callback'],
  ['GET', '/.well-known/jwks.json'],
  ['GET', '/healthz'],
  ['GET', '/readyz'],
];

/** Requests that would end the fuzzer's own session; they still get every invalid token. */
const KEEPS_SESSION = new Set(['POST /api/auth/logout-all']);

const NASTY = [
  "' OR '1'='1",
  '../../etc/passwd',
  '\u0000',
  '%00',
  '%ff',
  '%c0%af',
  '%2e%2e%2f',
  '<script>',
  '{{7*7}}',
  '${jndi:x}',
  '__proto__',
  'constructor',
  '😀',
  '\ud800',
  'a'.repeat(5000),
];
const nastyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...NASTY), fc.emailAddress(), fc.uuid());
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,200}$/);

const fieldNames = [
  'email',
  'password',
  'displayName',
  'token',
  'newPassword',
  'currentPassword',
  'refreshToken',
  'mfaToken',
  'code',
  'recoveryCode',
  'name',
  'description',
  'role',
  'redirect',
];
const contractBody = fc.dictionary(
  fc.constantFrom(...fieldNames, '__proto__', 'constructor', 'id', 'ownerId'),
  fc.oneof(nastyString, fc.jsonValue({ maxDepth: 3 })),
  { maxKeys: 6 },
);
const rawBody = fc.oneof(
  contractBody.map((b) => JSON.stringify(b)),
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 500 }),
  fc.constantFrom('', '{', '[]', 'null', '"x"', '{"a":1,}', '['.repeat(3000), '{"email":"a@b.co","password":1e999}'),
);

/** Percent-encodes anything, lone surrogates included; an already percent-encoded value goes raw (invalid UTF-8 too). */
const enc = (value: string) =>
  /^(%[0-9a-fA-F]{2})+$/.test(value) ? value : [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

let goodToken: string;

test.beforeAll(async ({ server }) => {
  const admin = await registerUser(server.url);
  await server.query(`update users set role = 'admin' where id = '${admin.user.id}'`);
  goodToken = (await request(server.url, 'POST', '/api/auth/login', { body: { email: admin.email, password: STRONG_PASSWORD } })).body.accessToken;
});

async function endpoints(server: TestServer): Promise<[string, string][]> {
  const doc = (await request(server.url, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const fromDoc = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => [m.toUpperCase(), path] as [string, string]),
  );
  const all = new Map<string, [string, string]>();
  for (const [method, path] of [...fromDoc, ...PUBLIC_ENDPOINTS, ...BEARER_ENDPOINTS]) {
    const template = path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, '{id}').replace('/github/', '/{provider}/');
    all.set(`${method} ${template}`, [method, template]);
  }
  return [...all.values()];
}

function expectContractAnswer(res: { status: number; headers: Headers; body: any }, label: string) {
  expect(res.status, label).toBeLessThan(500);
  expect(res.headers.get('x-request-id'), label).toBeTruthy();
  if (res.status >= 400) {
    expect(res.body, label).toEqual({
      error: expect.objectContaining({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) }),
      requestId: expect.any(String),
    });
  }
}

describe('fuzzing every endpoint', () => {
  test('never a 5xx, always the contract’s error shape, and the server stays up', { timeout: 600_000 }, async ({ server }) => {
    const list = await endpoints(server);
    expect(list.length).toBeGreaterThanOrEqual(30);
    let requests = 0;
    for (const [method, template] of list) {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            params: fc.array(fc.oneof(fc.uuid(), fc.constantFrom('github', 'google', 'oidc'), nastyString), { minLength: 3, maxLength: 3 }),
            query: fc.dictionary(
              fc.constantFrom('redirect', 'all', 'page', 'limit', 'query', 'type', 'userId', 'code', 'state', 'error', 'access_token'),
              nastyString,
              { maxKeys: 3 },
            ),
            body: fc.option(rawBody, { nil: undefined }),
            contentType: fc.constantFrom(
              'application/json',
              'application/json; charset=utf-8',
              'application/json; charset=utf-16',
              'text/plain',
              'application/x-www-form-urlencoded',
              undefined,
            ),
            auth: fc.oneof(
              fc.constant(undefined),
              fc.constant('good'),
              headerValue,
              headerValue.map((t) => `Bearer ${t}`),
            ),
            extra: fc.dictionary(
              fc.constantFrom('origin', 'referer', 'cookie', 'x-request-id', 'x-forwarded-for', 'x-token-transport', 'accept'),
              headerValue,
              { maxKeys: 4 },
            ),
          }),
          async ({ params, query, body, contentType, auth, extra }) => {
            let i = 0;
            const path = template.replace(/\{[^}]+\}/g, () => enc(params[i++]!));
            const qs = Object.entries(query)
              .map(([k, v]) => `${k}=${enc(v)}`)
              .join('&');
            const headers: Record<string, string> = { ...extra };
            if (contentType && body !== undefined) headers['content-type'] = contentType;
            if (auth === 'good') {
              if (!KEEPS_SESSION.has(`${method} ${template}`)) headers.authorization = `Bearer ${goodToken}`;
            } else if (auth !== undefined) headers.authorization = auth;
            const res = await request(server.url, method, `${path}${qs ? `?${qs}` : ''}`, { rawBody: method === 'GET' ? undefined : body, headers });
            requests++;
            expectContractAnswer(res, `${method} ${path}`);
          },
        ),
        { numRuns: RUNS_PER_ENDPOINT },
      );
    }
    expect(requests).toBeGreaterThanOrEqual(list.length * RUNS_PER_ENDPOINT);
    expect((await request(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  test('generated tokens are always a 401 in the contract’s shape, never accepted', { timeout: 300_000 }, async ({ server }) => {
    const jwtLike = fc
      .record({ header: fc.jsonValue({ maxDepth: 2 }), payload: fc.jsonValue({ maxDepth: 2 }), sig: fc.base64String({ maxLength: 120 }) })
      .map(({ header, payload, sig }) => `${b64url(header)}.${b64url(payload)}.${sig.replace(/=+$/, '')}`);
    const headerish = fc
      .record({
        alg: fc.constantFrom('none', 'HS256', 'RS256', 'ES256', 'EdDSA', 'PS256', ''),
        kid: nastyString,
        typ: fc.constantFrom('at+jwt', 'JWT', undefined),
        crit: fc.option(fc.array(fc.string())),
      })
      .chain((header) => fc.jsonValue({ maxDepth: 2 }).map((payload) => `${b64url(header)}.${b64url(payload)}.`));
    await fc.assert(
      fc.asyncProperty(fc.oneof(jwtLike, headerish, fc.stringMatching(/^[A-Za-z0-9_.~+/=-]{1,400}$/)), async (token) => {
        const res = await request(server.url, 'GET', '/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(401);
        expect(['INVALID_TOKEN', 'TOKEN_EXPIRED']).toContain(res.body.error.code);
        expectContractAnswer(res, token);
      }),
      { numRuns: 500 },
    );
  });
});
