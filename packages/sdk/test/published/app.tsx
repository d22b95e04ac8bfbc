// A small app OUTSIDE the workspace, using the three packed packages as a user would. The test
// (published-packages.test.ts) copies this file into a fresh project, type-checks and compiles it
// with tsc against that project's node_modules, and runs it against a live API. It prints one
// JSON line of observations; the test makes the assertions.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthClient, hasPermission, type User } from '@portcullis/sdk';
import { createVerifier, requireAccessToken, requirePermission, type BearerMiddleware } from '@portcullis/sdk/server';
import { AuthProvider, Protect, SignedIn, SignedOut, useUser } from '@portcullis/react';
import { checkSession, type SessionCheck } from '@portcullis/nextjs/session';
import { createProxy } from '@portcullis/nextjs/proxy';
import { NextRequest } from 'next/server.js';
import { renderToString } from 'react-dom/server';

const api = process.env.PORTCULLIS_API_URL ?? '';
const password = 'Correct-Horse-9!';
const email = `packed.${Date.now().toString(36)}@example.com`;

// SDK client (body transport: a Node script keeps the refresh token in memory).
const client = createAuthClient({ baseUrl: api, transport: 'body' });
const { user } = await client.register({ email, password, displayName: 'Packed App' });
const me: User = await client.me();
const token = client.getAccessToken() ?? '';

// Server verifier and middleware, behind a real node:http server.
const verifier = createVerifier({
  issuer: process.env.JWT_ISSUER ?? '',
  audience: process.env.JWT_AUDIENCE ?? '',
  jwksUrl: `${api}/.well-known/jwks.json`,
});
const claims = await verifier.verify(token);
const guards: Record<string, BearerMiddleware> = {
  '/any': requireAccessToken(verifier),
  '/read': requirePermission(verifier, 'read'),
  '/write': requirePermission(verifier, 'write'),
};
const server = createServer((req, res) => {
  const guard = guards[req.url ?? ''];
  if (!guard) return void res.writeHead(404).end();
  guard(req, res, () => res.end('ok'));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const statusOf = async (path: string, bearer?: string) => (await fetch(base + path, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} })).status;
const guarded = {
  any: await statusOf('/any', token),
  none: await statusOf('/any'),
  read: await statusOf('/read', token),
  write: await statusOf('/write', token),
};
server.close();

// React, rendered on the server with the signed-in client.
function Name() {
  const { user: current } = useUser();
  return <b>{current?.displayName}</b>;
}
const html = renderToString(
  <AuthProvider client={client} initialUser={user}>
    <SignedIn>
      <Name />
    </SignedIn>
    <SignedOut>signed-out</SignedOut>
    <Protect permission="read">may-read</Protect>
    <Protect permission="write" fallback="no-write">
      may-write
    </Protect>
  </AuthProvider>,
);
const signedOutHtml = renderToString(
  <AuthProvider initialUser={null}>
    <SignedIn>signed-in</SignedIn>
    <SignedOut>signed-out</SignedOut>
  </AuthProvider>,
);

// Next.js: a browser's session cookie, checked by checkSession and by the proxy helper.
const login = await fetch(`${api}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json', origin: api },
  body: JSON.stringify({ email, password }),
});
const sessionCookie = /portcullis_session=([^;]+)/.exec(login.headers.getSetCookie().join('\n'))?.[1];
const session: SessionCheck = await checkSession(sessionCookie, { apiUrl: api });
const proxy = createProxy({ apiUrl: api, rules: [{ path: '/dashboard' }, { path: '/admin', permission: 'manage_users' }] });
const withCookie = { headers: { cookie: `portcullis_session=${sessionCookie}` } };
const signedOutPage = await proxy(new NextRequest('http://app.test/dashboard/x?y=1'));
const signedInPage = await proxy(new NextRequest('http://app.test/dashboard', withCookie));
const adminPage = await proxy(new NextRequest('http://app.test/admin/users', withCookie));
const publicPage = await proxy(new NextRequest('http://app.test/about'));

console.log(
  JSON.stringify({
    registered: user.email === email && me.id === user.id,
    claims: { sub: claims.sub === user.id, role: claims.role },
    mayWrite: hasPermission(me.role, 'write'),
    guarded,
    html,
    signedOutHtml,
    loginStatus: login.status,
    session: session.kind === 'signed-in' ? { kind: session.kind, email: session.session.user.email } : session,
    proxy: {
      signedOut: [signedOutPage.status, signedOutPage.headers.get('location')],
      signedIn: [signedInPage.status, signedInPage.headers.get('x-middleware-next')],
      admin: adminPage.status,
      public: publicPage.headers.get('x-middleware-next'),
    },
  }),
);
client.close();
