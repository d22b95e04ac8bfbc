// requirePermission over real node:http: the token is verified as by requireAccessToken, then its
// role is looked up in the contract's role/permission table.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, requirePermission, type BearerMiddleware, type BearerRequest } from '../src/server.js';
import { AUDIENCE, ISSUER, newKey, serveJwks, signToken, type KeyPair } from './helpers/jwks-server.js';

let key: KeyPair;
let jwks: Awaited<ReturnType<typeof serveJwks>>;
let app: Server;
let url: string;

beforeAll(async () => {
  key = await newKey('key-1');
  jwks = await serveJwks([key]);
  const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url });
  const guards: Record<string, BearerMiddleware> = {
    '/write': requirePermission(verifier, 'write'),
    '/manage': requirePermission(verifier, 'manage_users'),
    '/both': requirePermission(verifier, 'read', 'delete'),
  };
  app = createServer((req, res) => {
    const guard = guards[req.url ?? ''];
    if (!guard) return void res.writeHead(404).end();
    guard(req, res, (err) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(err ? { failed: true } : { auth: (req as BearerRequest).auth }));
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => app.close(resolve));
  await jwks.close();
});

async function call(path: string, role?: string): Promise<Response> {
  const headers: Record<string, string> = role === undefined ? {} : { authorization: `Bearer ${await signToken(key, { claims: { role } })}` };
  return fetch(url + path, { headers });
}

describe('requirePermission', () => {
  it('lets a role that holds the permission through, with req.auth set', async () => {
    const res = await call('/write', 'moderator');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ auth: { sub: 'user-1', role: 'moderator' } });
    expect((await call('/manage', 'admin')).status).toBe(200);
    expect((await call('/both', 'moderator')).status).toBe(200);
  });

  it('answers 403 FORBIDDEN (contract error shape) to a valid token whose role lacks it', async () => {
    const res = await call('/write', 'user');
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) }, requestId: expect.any(String) });
    expect((await call('/manage', 'moderator')).status).toBe(403);
    expect((await call('/both', 'user')).status).toBe(403); // read yes, delete no: every permission is needed
  });

  it('an unknown role, or an inherited property name, has no permission', async () => {
    expect((await call('/write', 'superuser')).status).toBe(403);
    expect((await call('/write', 'constructor')).status).toBe(403);
  });

  it('no token or a bad one: 401 as requireAccessToken', async () => {
    const none = await call('/write');
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    const bad = await fetch(`${url}/write`, { headers: { authorization: 'Bearer nonsense' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });
});
