import { describe, expect } from 'vitest';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { bearer, registerUser, request } from '@portcullis/testing/http';

const test = apiTest();

describe('smoke: register, me, refresh, logout', () => {
  test.beforeAll(startApi);

  test('walks the basic flow', async ({ server }) => {
    const alice = await registerUser(server.url, { displayName: 'Alice' });
    const me = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) });
    expect(me.status).toBe(200);
    expect(me.body.user.displayName).toBe('Alice');

    const refreshed = await request(server.url, 'POST', '/api/auth/refresh', { headers: { cookie: `refresh_token=${alice.refreshToken}` } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.accessToken).toBeTypeOf('string');

    const out = await request(server.url, 'POST', '/api/auth/logout', { headers: { cookie: `refresh_token=${alice.refreshToken}` } });
    expect(out.status).toBe(204);
    const after = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(alice.accessToken) });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('INVALID_TOKEN');
  });
});
