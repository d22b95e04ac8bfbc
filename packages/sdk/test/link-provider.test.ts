// linkProvider: the re-authentication fields go with the bearer token; the provider URL comes back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClient } from '../src/index.js';
import { createFakeApi, testUser, type FakeApi } from './helpers/fake-api.js';

const PASSWORD = 'Correct-horse1!';

describe('linkProvider (fake API)', () => {
  let api: FakeApi;
  let client: AuthClient;

  beforeEach(async () => {
    api = createFakeApi();
    client = createAuthClient({ baseUrl: 'http://api.test', fetch: api.fetch });
    await client.login({ email: testUser.email, password: PASSWORD });
  });
  afterEach(() => client.close());

  it('sends the password and a code with the bearer token, and answers the provider URL', async () => {
    expect(await client.linkProvider('oidc', { password: PASSWORD, code: '123456' })).toEqual({ url: 'https://idp.example/authorize?state=s1' });
    const call = api.calls.at(-1)!;
    expect(call).toMatchObject({ method: 'POST', path: '/api/auth/oauth/oidc/link', body: { password: PASSWORD, code: '123456' } });
    expect(call.headers.get('authorization')).toBe('Bearer at-1');
  });

  it('sends no field it was not given (an account without a password), and a refusal is a typed error', async () => {
    await expect(client.linkProvider('oidc')).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(api.calls.at(-1)!.body).toEqual({});
    expect(client.isAuthenticated()).toBe(true);
  });
});
