// requireAccessToken over real node:http (its req/res are what Express extends).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, createVerifier, requireAccessToken, type BearerRequest } from '../src/server.js';
import { AUDIENCE, ISSUER, newKey, nowSec, serveJwks, signToken, type KeyPair } from './helpers/jwks-server.js';

let key: KeyPair;
let jwks: Awaited<ReturnType<typeof serveJwks>>;
let app: Server;
let url: string;

beforeAll(async () => {
  key = await newKey('key-1');
  jwks = await serveJwks([key]);
  const guard = requireAccessToken(createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url }));
  app = createServer((req, res) => {
    guard(req, res, (err) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(err ? { failed: true } : { auth: (req as BearerRequest).auth }));
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => app.close(resolve));
  await jwks.close();
});

describe('requireAccessToken', () => {
  it('passes a valid token on with req.auth set', async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${await signToken(key)}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ auth: { sub: 'user-1', sid: 'sess-1', role: 'user', jti: 'jti-1' } });
  });

  it('no token: 401 UNAUTHENTICATED with WWW-Authenticate: Bearer', async () => {
    const res = await fetch(url, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) }, requestId: 'abc-123' });
  });

  it('bad token: 401 INVALID_TOKEN with Bearer error="invalid_token"', async () => {
    const res = await fetch(url, { headers: { authorization: 'Bearer nonsense', 'x-request-id': 'not safe!' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const body = (await res.json()) as { error: { code: string }; requestId: string };
    expect(body.error.code).toBe('INVALID_TOKEN');
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/); // an unsafe caller id is replaced
  });

  it('expired token: 401 TOKEN_EXPIRED with Bearer error="invalid_token"', async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${await signToken(key, { exp: nowSec() - 60 })}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TOKEN_EXPIRED');
  });

  it('a token in the query string is ignored', async () => {
    const res = await fetch(`${url}?access_token=${await signToken(key)}`);
    expect(res.status).toBe(401);
  });
});

describe('bearerToken', () => {
  it('parses the Authorization header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
