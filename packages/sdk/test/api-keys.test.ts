// Issue 15 from the SDK, against the real API: a user's personal API keys (createApiKey,
// listApiKeys, revokeApiKey) used by a script, and a service's tokens from clientCredentials()
// that createVerifier accepts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/index.js';
import { clientCredentials, createVerifier } from '../src/server.js';

interface RunningApi {
  url: string;
  close(): Promise<void>;
}
// Through a variable, as in integration.test.ts: this package's tsc must not pull in the API's sources.
const helperPath = '@portcullis/testing/server';
const startServer = async (env: Record<string, string>): Promise<RunningApi> =>
  ((await import(/* @vite-ignore */ helperPath)) as { startServer(env: Record<string, string>): Promise<RunningApi> }).startServer(env);

const ADMIN = { email: 'sdk.keys.admin@example.com', password: 'Sdk-Admin-Pass-1!' };
const PASSWORD = 'Correct-Horse-9!';

describe('API keys and client credentials through the SDK (real API)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startServer({ RATE_LIMITS: 'off', ALLOW_BOOTSTRAP: 'true', BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a script calls the API with a personal key; revoked, it is refused', async () => {
    const client = createAuthClient({ baseUrl: api.url, transport: 'body' });
    await client.register({ email: `sdk.keys.${Date.now().toString(36)}@example.com`, password: PASSWORD, displayName: 'Scripter' });
    const { apiKey, key } = await client.createApiKey({ name: 'cli', permissions: ['read'], password: PASSWORD });
    expect(await client.listApiKeys()).toEqual([apiKey]);
    const me = await fetch(`${api.url}/api/auth/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    await expect(client.createApiKey({ name: 'too wide', permissions: ['manage_users'], password: PASSWORD })).rejects.toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
    await client.revokeApiKey(apiKey.id);
    expect(await client.listApiKeys()).toEqual([]);
    expect((await fetch(`${api.url}/api/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    client.close();
  });

  it('a service gets a token with clientCredentials(), cached, that createVerifier accepts', async () => {
    const admin = createAuthClient({ baseUrl: api.url, transport: 'body' });
    await admin.login(ADMIN);
    const res = await admin.fetch('/api/admin/service-accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'reports', role: 'moderator' }),
    });
    const created = (await res.json()) as { serviceAccount: { id: string; clientId: string }; clientSecret: string };
    const source = clientCredentials({ baseUrl: api.url, clientId: created.serviceAccount.clientId, clientSecret: created.clientSecret });
    const token = await source.accessToken();
    expect(await source.accessToken()).toBe(token);
    const verifier = createVerifier({ jwksUrl: `${api.url}/.well-known/jwks.json`, issuer: 'http://portcullis.test', audience: 'portcullis' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: created.serviceAccount.id, role: 'moderator' });
    const wrong = clientCredentials({ baseUrl: api.url, clientId: created.serviceAccount.clientId, clientSecret: 'not-it' });
    await expect(wrong.accessToken()).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    admin.close();
  });
});
