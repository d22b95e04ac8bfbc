// The client against the REAL API (@portcullis/testing/server: a server on a random port
// with a fresh database), using body transport and Node's fetch, which keeps no cookies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, createAuthClient, type AuthClient, type FetchLike } from '../src/index.js';
import { createVerifier } from '../src/server.js';

interface RunningApi {
  url: string;
  close(): Promise<void>;
}
type StartServer = (env?: Record<string, string>) => Promise<RunningApi>;

// Imported through a variable so that this package's tsc does not pull the API's sources into
// its own project; the shape used is only the one the helper promises.
const helperPath = '@portcullis/testing/server';
const startServer = async (env?: Record<string, string>): Promise<RunningApi> => {
  const helper = (await import(/* @vite-ignore */ helperPath)) as { startServer: StartServer };
  return helper.startServer(env);
};

const PASSWORD = 'Correct-Horse-9!';
const TOKEN_ENV = { JWT_ISSUER: 'http://sdk-issuer.test', JWT_AUDIENCE: 'sdk-audience' };
let counter = 0;
const uniqueEmail = () => `sdk.${Date.now().toString(36)}.${++counter}@example.com`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Node's fetch (cookie-less), recording "METHOD /path" and the status of every call. */
function recordingFetch(): { fetch: FetchLike; calls: string[]; statuses: number[]; count(path: string): number } {
  const calls: string[] = [];
  const statuses: number[] = [];
  return {
    calls,
    statuses,
    fetch: async (input, init) => {
      calls.push(`${init?.method ?? 'GET'} ${new URL(input).pathname}`);
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    },
    count: (path) => calls.filter((c) => c.endsWith(` ${path}`)).length,
  };
}

async function rawMe(api: RunningApi, accessToken: string): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${api.url}/api/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: res.status, code: body.error?.code };
}

describe('SDK against the real API', () => {
  let api: RunningApi;
  let client: AuthClient;
  const rec = recordingFetch();

  beforeAll(async () => {
    api = await startServer(TOKEN_ENV);
    client = createAuthClient({ baseUrl: api.url, transport: 'body', fetch: rec.fetch });
  });

  afterAll(async () => {
    client?.close();
    await api?.close();
  });

  it('register -> me -> sessions -> refresh rotates -> logout makes me() fail', async () => {
    const email = uniqueEmail();
    const { user } = await client.register({ email, password: PASSWORD, displayName: 'SDK Tester' });
    expect(user).toMatchObject({ email, displayName: 'SDK Tester', role: 'user', emailVerified: false, mfaEnabled: false });
    expect(client.isAuthenticated()).toBe(true);
    expect(client.getRefreshToken()).toEqual(expect.any(String));

    await expect(client.me()).resolves.toMatchObject({ id: user.id, email });

    const sessions = await client.sessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ current: true, id: expect.any(String) });

    const before = { access: client.getAccessToken()!, refresh: client.getRefreshToken()! };
    await expect(client.refresh()).resolves.toMatchObject({ id: user.id });
    const after = { access: client.getAccessToken()!, refresh: client.getRefreshToken()! };
    expect(after.refresh).not.toBe(before.refresh);
    expect(after.access).not.toBe(before.access);
    await expect(client.me()).resolves.toMatchObject({ id: user.id });
    expect(await client.sessions()).toHaveLength(1); // rotation keeps the same session

    await client.logout();
    expect(client.isAuthenticated()).toBe(false);
    const err = await client.me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ status: 401 });
    // and the server refuses the old access token at once, not only when it expires
    expect(await rawMe(api, after.access)).toEqual({ status: 401, code: 'INVALID_TOKEN' });
  });

  it('login with a wrong password is INVALID_CREDENTIALS; a right one signs in', async () => {
    const email = uniqueEmail();
    await client.register({ email, password: PASSWORD, displayName: 'Second' });
    await client.logout();
    await expect(client.login({ email, password: 'Wrong-Horse-9!' })).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    const result = await client.login({ email: email.toUpperCase(), password: PASSWORD });
    expect(result.mfaRequired).toBeUndefined();
    expect(client.getUser()?.email).toBe(email);
    await client.logout();
  });

  it("the server verifier accepts the API's own access tokens (EdDSA) and refuses revoked ones only at exp", async () => {
    const { user } = await client.register({ email: uniqueEmail(), password: PASSWORD, displayName: 'Verified' });
    const verifier = createVerifier({ issuer: TOKEN_ENV.JWT_ISSUER, audience: TOKEN_ENV.JWT_AUDIENCE, jwksUrl: `${api.url}/.well-known/jwks.json` });
    const token = client.getAccessToken()!;
    const claims = await verifier.verify(token);
    expect(claims).toMatchObject({ sub: user.id, role: 'user', sid: expect.any(String), jti: expect.any(String) });
    expect(claims.exp - claims.iat).toBe(15 * 60);
    await client.logout();
    // offline verification cannot see the logout (documented): the API refuses, the verifier still accepts
    expect((await rawMe(api, token)).status).toBe(401);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: user.id });
    const wrongAudience = createVerifier({ issuer: TOKEN_ENV.JWT_ISSUER, audience: 'other', jwksUrl: `${api.url}/.well-known/jwks.json` });
    await expect(wrongAudience.verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('register with a weak password is VALIDATION_FAILED with details', async () => {
    const err = await client.register({ email: uniqueEmail(), password: 'short', displayName: 'X' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((err as AuthError).details.some((d) => d.field === 'password')).toBe(true);
    expect((err as AuthError).requestId).toEqual(expect.any(String));
  });
});

describe('SDK against the real API with JWT_ACCESS_TTL=3s', () => {
  let api: RunningApi;
  const clients: AuthClient[] = [];

  beforeAll(async () => {
    api = await startServer({ JWT_ACCESS_TTL: '3s' });
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await api?.close();
  });

  function newClient(options: { autoRefresh?: boolean; now?: () => number } = {}) {
    const rec = recordingFetch();
    const client = createAuthClient({ baseUrl: api.url, transport: 'body', fetch: rec.fetch, ...options });
    clients.push(client);
    return { client, rec };
  }

  // These wait out a 3 s token lifetime for real, so each needs more than the 4-6 s it sleeps; the
  // timeouts (were 15 s) leave room for the requests of a busy machine. Waiting longer only makes
  // the token staler, so load cannot flip what they check.
  it('a call after 4 s transparently refreshes (proactive timer)', async () => {
    const { client, rec } = newClient();
    const { user } = await client.register({ email: uniqueEmail(), password: PASSWORD, displayName: 'Short' });
    const first = client.getAccessToken();
    await sleep(4_000);
    await expect(client.me()).resolves.toMatchObject({ id: user.id });
    expect(rec.count('/api/auth/refresh')).toBeGreaterThanOrEqual(1);
    expect(client.getAccessToken()).not.toBe(first);
  });

  it('a call after 4 s transparently refreshes (stale token, no timer)', async () => {
    const { client, rec } = newClient({ autoRefresh: false });
    const { user } = await client.register({ email: uniqueEmail(), password: PASSWORD, displayName: 'Short' });
    await sleep(4_000);
    expect(rec.count('/api/auth/refresh')).toBe(0);
    await expect(client.me()).resolves.toMatchObject({ id: user.id });
    expect(rec.calls.slice(1)).toEqual(['POST /api/auth/refresh', 'GET /api/auth/me']);
  });

  it("an expired token is refreshed on the server's TOKEN_EXPIRED and the call retried", async () => {
    // A client whose clock stands still believes its token is fresh; only the server's 401 tells it.
    // 6 s, not 4: the server grants 2 s of clock tolerance past the 3 s lifetime.
    const frozen = Date.now();
    const { client, rec } = newClient({ autoRefresh: false, now: () => frozen });
    const { user } = await client.register({ email: uniqueEmail(), password: PASSWORD, displayName: 'Short' });
    await sleep(6_000);
    await expect(client.me()).resolves.toMatchObject({ id: user.id });
    expect(rec.calls.slice(1)).toEqual(['GET /api/auth/me', 'POST /api/auth/refresh', 'GET /api/auth/me']);
    expect(rec.statuses.slice(1)).toEqual([401, 200, 200]);
  });
});

describe('the server verifier against a real API signing with ES256', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startServer({ ...TOKEN_ENV, JWT_ALG: 'ES256' });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('verifies with the default algorithm list', async () => {
    const client = createAuthClient({ baseUrl: api.url, transport: 'body', autoRefresh: false });
    const { user } = await client.register({ email: uniqueEmail(), password: PASSWORD, displayName: 'Curve' });
    const verifier = createVerifier({ issuer: TOKEN_ENV.JWT_ISSUER, audience: TOKEN_ENV.JWT_AUDIENCE, jwksUrl: `${api.url}/.well-known/jwks.json` });
    await expect(verifier.verify(client.getAccessToken()!)).resolves.toMatchObject({ sub: user.id });
    const edOnly = createVerifier({
      issuer: TOKEN_ENV.JWT_ISSUER,
      audience: TOKEN_ENV.JWT_AUDIENCE,
      jwksUrl: `${api.url}/.well-known/jwks.json`,
      algorithms: ['EdDSA'],
    });
    await expect(edOnly.verify(client.getAccessToken()!)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });
});
